using System.CommandLine;
using System.Text.Json;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Plugins;

namespace DFLComposite.Node.Service;

/// <summary>
/// <c>dflc serve</c>: the local node the OpenFX effect, the Premiere panel and a browser talk to. It owns the models,
/// the CPU and the job queue; jobs run in child processes; the API is on 127.0.0.1/[::1] only and needs the token.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = CliNumbers.Int("--port", "TCP port on 127.0.0.1 and [::1] (0 picks a free one).", 0, 65535, 47600);
        var roots = new Option<string[]>("--root") { Description = "A folder jobs may read and write (repeat for several; default: your home folder). Paths are checked after resolving .. and links.", AllowMultipleArgumentsPerToken = false };
        var slots = CliNumbers.Int("--slots", "Heavy jobs that run at once; the rest queue.", 1, 64, 1);
        var state = new Option<string?>("--state") { Description = $"Folder for the job store, job logs and previews (default {NodePaths.StateFolder()})." };
        var origins = new Option<string[]>("--allow-origin") { Description = "A web origin allowed to call the API from a browser (CORS), e.g. http://127.0.0.1:5173; none by default." };
        var web = new Option<string?>("--web") { Description = "Folder of the web UI served at / (default: the one installed next to dflc)." };
        var cancelTimeout = CliNumbers.Int("--cancel-timeout", "Seconds a cancelled job may take to save and stop before it is killed.", 1, 86_400, 600);
        var command = new Command("serve", "Run the local node: jobs over HTTP and WebSocket on 127.0.0.1 with a token, a SQLite job store that survives restarts, the web UI at /.")
        {
            port, roots, slots, state, origins, web, cancelTimeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string[] rootList = r.GetValue(roots) is { Length: > 0 } given ? given.Select(Path.GetFullPath).ToArray() : [NodePaths.Home];
            foreach (string root in rootList.Where(x => !Directory.Exists(x)))
            {
                throw new Jobs.CliUsageException($"--root {root}: no such folder.");
            }

            var options = new ServeOptions
            {
                Port = r.GetValue(port), Roots = rootList, Slots = r.GetValue(slots), State = Path.GetFullPath(r.GetValue(state) ?? NodePaths.StateFolder()),
                AllowOrigins = r.GetValue(origins) ?? [], CancelTimeout = TimeSpan.FromSeconds(r.GetValue(cancelTimeout)),
                Web = r.GetValue(web) ?? (Directory.Exists(Path.Combine(AppContext.BaseDirectory, "web")) ? Path.Combine(AppContext.BaseDirectory, "web") : null),
                ChildArguments = GlobalOptions.ForwardedToJobs(r),
            };
            NodePaths.PrivateFolder(options.State);
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            NodeToken token = NodeToken.LoadOrCreate(options.Config);
            await using NodeServer server = await NodeServer.StartAsync(options, catalog, loggers, token).ConfigureAwait(false);
            // the OpenFX plug-in's frames: a Unix socket in the (0700) state folder, per-frame merges in this process
            await using var frames = new Frames.FrameServer(Path.Combine(options.State, "frames.sock"), token,
                new Frames.FrameSessions(new JobContext(catalog, loggers)), Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<Frames.FrameServer>(loggers));
            string nodeFile = NodePaths.NodeFile(options.Config);
            AtomicFile.WriteAllText(nodeFile, JsonSerializer.Serialize(new { port = server.Port, frameSocket = frames.SocketPath, pid = Environment.ProcessId, urls = server.Addresses }));
            Console.Out.WriteLine($"DFLComposite node listening on {string.Join(" and ", server.Addresses)}");
            Console.Out.WriteLine($"token: {token.File} (send it as `Authorization: Bearer <token>`); roots: {string.Join(", ", options.Roots)}; state: {options.State}; slots: {options.Slots}");
            Console.Out.WriteLine(options.Web is null ? "web UI: none installed (the API answers at /v1)" : $"web UI: http://127.0.0.1:{server.Port}/");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("stopping: running jobs save their work and resume when the node starts again");
            }
            finally
            {
                File.Delete(nodeFile);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
