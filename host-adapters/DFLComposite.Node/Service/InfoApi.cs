using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DFLComposite.Node.Service;

/// <summary>What the node can tell a host before it submits anything: health, parts, models, the settings forms, files.</summary>
internal static class InfoApi
{
    public const int ApiVersion = 1;

    public static void Map(IEndpointRouteBuilder app, PluginCatalog catalog, NodeRoots roots, ServeOptions options, JobScheduler scheduler, JobStore store)
    {
        app.MapGet("/v1/health", () => Results.Json(new
        {
            Version = typeof(InfoApi).Assembly.GetName().Version?.ToString() ?? "0",
            ApiVersion,
            Cpu = $"{CpuModel()} ({Environment.ProcessorCount} threads)",
            Gpu = (string?)null,
            options.Slots,
            scheduler.Running,
            Queued = store.Queued().Count,
            Roots = roots.Folders,
        }));
        app.MapGet("/v1/plugins", () => Results.Json(catalog.Parts.Select(p => new
        {
            p.Stage, p.Family, p.Metadata.Name, p.Metadata.Version, p.Metadata.Description, Assembly = Path.GetFileName(p.SourceAssembly),
        })));
        app.MapGet("/v1/models", () => Results.Json(Workspaces(roots).Select(w => new
        {
            Path = w.Workspace, w.Kind, w.Model, Archi = w.Architecture ?? w.Model, w.Resolution, w.FaceType, w.Dims, w.Parameters, w.Iteration, w.Saved, w.Training, w.Losses, w.Warning,
            PreviewUrl = w.Preview is null ? null : $"/v1/files/raw?path={Uri.EscapeDataString(w.Preview)}",
        })));
        app.MapGet("/v1/schema/{kind}", (string kind) =>
            JobKinds.TypeOf(kind) is { } type
                // the settings records' fields: what a form offers (paths and ranges of frames are the host's own)
                ? Results.Json(SettingsSchema.For(type).Where(f => f.Group is not null && !f.Declaration.JsonOnly && f.Declaration.Path == PathRole.None).Select(f => new
                {
                    Path = f.JsonPath, f.Flag, Type = TypeName(f), f.Default, Min = f.Declaration.HasRange ? f.Declaration.Min : (double?)null,
                    Max = f.Declaration.HasRange ? f.Declaration.Max : (double?)null, Choices = Choices(f, catalog), f.Declaration.Help,
                }), NodeJson.Compact)
                : Results.Json(new { error = $"no job kind '{kind}'; kinds: {string.Join(", ", JobKinds.Names)}" }, statusCode: 404));
        app.MapGet("/v1/files", (string? root, string? path) => Files(roots, path is { Length: > 0 } ? path : root));
        app.MapGet("/v1/files/raw", (string path) =>
            roots.Contains(path) && File.Exists(path) && Engine.Media.ImageIO.IsImage(path)
                ? Results.File(File.ReadAllBytes(path), path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg")
                : Results.Json(new { error = $"{path}: not an image inside the node's roots" }, statusCode: 404));
    }

    private static string TypeName(SettingField f) =>
        f.ValueType == typeof(bool) ? "bool" : f.IsInteger ? "int" : f.IsNumber ? "double" : f.IsList ? "paths"
        : f.Declaration.Path != PathRole.None ? "path" : f.Declaration.Choices is not null || f.Declaration.Plugin is not null ? "choice" : "string";

    private static string[]? Choices(SettingField f, PluginCatalog catalog) =>
        f.Declaration.Plugin is { } contract
            ? [.. catalog.Parts.Where(p => p.Contract == contract).Select(p => p.Metadata.Name), .. f.Declaration.Choices ?? []]
            : f.Declaration.Choices;

    // Model workspaces under the roots (folders holding model.dflc), a few levels deep, hidden folders skipped.
    private static List<WorkspaceInfo> Workspaces(NodeRoots roots)
    {
        var found = new List<WorkspaceInfo>();
        int visited = 0;
        var queue = new Queue<(string Dir, int Depth)>(roots.Folders.Select(r => (r, 0)));
        while (queue.Count > 0 && visited++ < 20_000)
        {
            (string dir, int depth) = queue.Dequeue();
            if (File.Exists(Path.Combine(dir, Engine.Training.Checkpoint.FileName)))
            {
                try
                {
                    found.Add(WorkspaceInfo.Read(dir));
                }
                catch (Exception ex) when (ex is Engine.BadInputException or IOException or UnauthorizedAccessException)
                {
                    // a damaged workspace is simply not offered
                }

                continue;
            }

            if (depth >= 5)
            {
                continue;
            }

            try
            {
                foreach (string sub in Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')))
                {
                    queue.Enqueue((sub, depth + 1));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static IResult Files(NodeRoots roots, string? path)
    {
        string dir = path is { Length: > 0 } ? Path.GetFullPath(path) : roots.Folders[0];
        if (!roots.Contains(dir))
        {
            return Results.Json(new { error = $"{dir} is outside the node's roots ({string.Join(", ", roots.Folders)})" }, statusCode: 403);
        }

        if (!Directory.Exists(dir))
        {
            return Results.Json(new { error = $"{dir}: no such folder" }, statusCode: 404);
        }

        var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos()
            .Where(e => !e.Name.StartsWith('.'))
            .OrderBy(e => e is FileInfo).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .Take(5000)
            .Select(e => new { e.Name, Dir = e is DirectoryInfo, Size = e is FileInfo f ? f.Length : (long?)null });
        return Results.Json(new { Roots = roots.Folders, Path = dir, Parent = roots.Contains(Path.GetDirectoryName(dir) ?? dir) ? Path.GetDirectoryName(dir) : null, Entries = entries });
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
