using System.CommandLine;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Plugins;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node;

/// <summary>Options every command accepts, and the services built from them.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug detail to stderr.",
        Recursive = true,
    };

    public static readonly Option<string?> LogFile = new("--log-file")
    {
        Description = "Also write a full log (with stack traces) to this file.",
        Recursive = true,
    };

    public static readonly Option<string?> Models = new("--models")
    {
        Description = $"Folder of pretrained model files (default: ${ModelManifest.ModelsVariable} or ~/.cache/dflcomposite/models).",
        Recursive = true,
    };

    public static readonly Option<string[]> PluginPath = new("--plugin-path")
    {
        Description = $"Extra plugin folder(s), searched after the plugins folder next to dflc and ${PluginCatalog.PluginPathVariable}.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "libtorch threads for this process (0 = one per core). 1 can be much faster on a machine busy with other work: idle OpenMP threads spin waiting for a core.",
        Recursive = true,
    };

    public static readonly Option<string> ProgressFormat = new("--progress-format")
    {
        Description = "How progress is printed: text (a bar on a terminal, PROGRESS lines in a pipe), json (one JSON object per line, for the node and scripts) or openjd (openjd_progress lines, and openjd_fail on error, for Open Job Description runtimes).",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    /// <summary>The node's pid: a job process stops (saving, as on SIGTERM) when the node that started it is gone.</summary>
    public static readonly Option<int> WatchParent = new("--watch-parent") { Hidden = true, Recursive = true };

    /// <summary>Where a job writes a preview image the node can show (a merge's latest frame).</summary>
    public static readonly Option<string?> PreviewFile = new("--preview-file") { Hidden = true, Recursive = true };

    public static void AddTo(RootCommand root)
    {
        ProgressFormat.AcceptOnlyFromAmong("text", "json", "openjd");
        root.Options.Add(Threads);
        root.Options.Add(ProgressFormat);
        root.Options.Add(WatchParent);
        root.Options.Add(PreviewFile);
        root.Options.Add(Verbose);
        root.Options.Add(LogFile);
        root.Options.Add(Models);
        root.Options.Add(PluginPath);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ParseResult, NLog.LogFactory> Logs = [];

    /// <summary>The command's loggers: one NLog factory per parsed command line (this process runs one command).</summary>
    /// <summary>The global options a job process started by the node gets, so it sees the node's models and plugins.</summary>
    public static IReadOnlyList<string> ForwardedToJobs(ParseResult r)
    {
        var args = new List<string>();
        if (r.GetValue(Models) is { Length: > 0 } models)
        {
            args.AddRange(["--models", Path.GetFullPath(models)]);
        }

        foreach (string p in r.GetValue(PluginPath) ?? [])
        {
            args.AddRange(["--plugin-path", Path.GetFullPath(p)]);
        }

        if (r.GetValue(Threads) is > 0 and var n)
        {
            args.AddRange(["--threads", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    /// <summary>Applies the process-wide settings (libtorch threads) once the command line is parsed.</summary>
    public static void ApplyProcessSettings(ParseResult r)
    {
        if (r.GetValue(Threads) is > 0 and var n)
        {
            Engine.Torch.TorchThreads.Set(n);
        }
    }

    public static ILoggerFactory LoggerFactory(ParseResult r) => Logging.Over(LogFactory(r));

    /// <summary>Where unexpected errors are logged, with their stack traces.</summary>
    public static NLog.Logger CrashLogger(ParseResult r) => LogFactory(r).GetLogger("dflc");

    private static NLog.LogFactory LogFactory(ParseResult r) => Logs.GetValue(r, p => Logging.Configure(p.GetValue(Verbose), p.GetValue(LogFile)));

    public static ModelStore ModelStore(ParseResult r) =>
        new(r.GetValue(Models) is { Length: > 0 } m ? Path.GetFullPath(m) : ModelManifest.DefaultDirectory());

    public static PluginCatalog Catalog(ParseResult r, ILoggerFactory loggers)
    {
        var folders = new List<string>(PluginCatalog.DefaultFolders());
        folders.AddRange(r.GetValue(PluginPath) ?? []);
        return PluginCatalog.Load(folders, new PluginContext(ModelStore(r).Directory, loggers));
    }
}
