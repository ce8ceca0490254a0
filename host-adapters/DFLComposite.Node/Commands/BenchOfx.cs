using System.CommandLine;
using System.Diagnostics;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;

namespace DFLComposite.Node.Commands;

/// <summary>
/// <c>dflc bench ofx -i clip</c>: frames per second of Face Swap through the project's OFX test host and a real node,
/// beside `dflc merge` of the same clip with the same 64-px model, in the same run; the difference is the effect's
/// overhead (shared memory, the socket, one frame at a time). Needs a checkout: the test host is built from
/// tests/ofx-test-host and the bundle from the solution build.
/// </summary>
internal static class BenchOfx
{
    private const int Passes = 2;

    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Clip (the issue's figure uses ../shared/data/video/s18.mp4).", Required = true };
        var command = new Command("ofx", "Frames/s of Face Swap through the OFX test host and a node, beside dflc merge of the same clip, in one run.") { input };
        command.SetAction(async (r, ct) =>
        {
            string repo = RepoRoot() ?? throw new Jobs.CliUsageException("bench ofx needs the source checkout (the OFX test host is built from tests/ofx-test-host).");
            string binary = Path.Combine(repo, "artifacts", "ofx", "DFLComposite.ofx.bundle", "Contents", "Linux-x86-64", "DFLComposite.ofx");
            if (!File.Exists(binary))
            {
                throw new Jobs.CliUsageException($"{binary} is missing: build the solution (./run.sh setup).");
            }

            string clip = Path.GetFullPath(r.GetValue(input)!);
            string scratch = Directory.CreateTempSubdirectory("dflc-bench-ofx-").FullName;
            try
            {
                using var loggers = GlobalOptions.LoggerFactory(r);
                using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
                string ws = Path.Combine(scratch, "model");
                SwapModelOptions options = catalog.Create<ISwapModel>("saehd").Defaults() with { Archi = "df", Resolution = 64, AeDims = 128, EDims = 32, DDims = 32, DMaskDims = 16 };
                MergeBenchmark.SaveUntrained(catalog, options, ws);
                // Best of two passes each (a first pass runs code not yet compiled, and on a busy 2-core machine it
                // varied by 20%); every pass loads the model and the detectors: a merge job does, and the OFX passes
                // press "Reload model", which makes the node open the session again.
                double mergeSeconds = double.MaxValue, ofxSeconds = double.MaxValue;
                for (int pass = 0; pass < Passes; pass++)
                {
                    var clock = Stopwatch.StartNew();
                    var job = new MergeJob { Workspace = ws, Input = clip, Output = Path.Combine(scratch, $"merged-{pass}.mp4") };
                    await new JobRunner(new JobContext(catalog, loggers)).RunAsync(job, null, ct).ConfigureAwait(false);
                    mergeSeconds = Math.Min(mergeSeconds, clock.Elapsed.TotalSeconds);
                }

                int count = (int)Engine.Media.VideoProbe.Probe(Path.Combine(scratch, "merged-0.mp4")).FrameCount;
                string host = Path.Combine(scratch, "ofx-test-host");
                Run("bash", [Path.Combine(repo, "tests", "ofx-test-host", "build.sh"), host], null);
                ofxSeconds = await RenderThroughHost(host, binary, clip, ws, scratch, count, ct).ConfigureAwait(false);

                double mergeFps = count / mergeSeconds, ofxFps = count / ofxSeconds;
                Console.Out.WriteLine(FormattableString.Invariant(
                    $"bench ofx: {Path.GetFileName(clip)}, {count} frames, df 64px 128/32/32/16, best of {Passes} passes: dflc merge {mergeFps:F1} frames/s; Face Swap through the OFX test host (ffmpeg decode and encode beside it, as an editor's render) and the node {ofxFps:F1} frames/s; overhead {100 * ((mergeFps / ofxFps) - 1):F0}%"));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // The best of the passes' seconds to render the clip through the test host and one node.
    private static async Task<double> RenderThroughHost(string host, string binary, string clip, string ws, string scratch, int count, CancellationToken ct)
    {
        var serve = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "serve", "--port", "0", "--root", scratch, "--root", Path.GetDirectoryName(clip)!, "--state", Path.Combine(scratch, "state") })
        {
            serve.ArgumentList.Add(a);
        }

        serve.Environment["XDG_CONFIG_HOME"] = Path.Combine(scratch, "config");
        using Process node = Process.Start(serve)!;
        try
        {
            while (await node.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false) is { } line && !line.Contains("listening on", StringComparison.Ordinal))
            {
            }

            double best = double.MaxValue;
            for (int pass = 0; pass < Passes; pass++)
            {
                var clock = Stopwatch.StartNew();
                Run(host, ["render", binary, "--plugin", "org.dflcomposite.faceswap", "--video", clip, "--encode", Path.Combine(scratch, "ofx.mp4"), "--frames", $"0-{count - 1}", "--param", $"workspace={ws}", "--press", "reloadModel"],
                    new Dictionary<string, string> { ["DFLC_NODE_JSON"] = Path.Combine(scratch, "config", "dflcomposite", "node.json"), ["DFLC_OFX_TIMEOUT"] = "120" });
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            return best;
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync(ct).ConfigureAwait(false);
        }
    }

    private static void Run(string exe, string[] args, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var kv in env ?? new Dictionary<string, string>())
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} exited {p.ExitCode}: {err.Result}");
        }
    }

    private static string? RepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DFLComposite.sln")))
            {
                return dir;
            }
        }

        return null;
    }
}
