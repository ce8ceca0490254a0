using System.CommandLine;
using DFLComposite.Engine.Diagnostics;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc bench extract|merge</c>: a pipeline's speed beside the decode (and encode) speed of the same clip, measured in one run.</summary>
internal static class BenchPipelines
{
    private static readonly Option<bool> Profile = new("--profile")
    {
        Description = "Also print where each millisecond of a frame goes, stage by stage (stages on different cores overlap, so they add up to more than the wall clock).",
    };

    public static Command Extract()
    {
        var input = new Option<string>("--input", "-i") { Description = "Clip to extract from (the issue's figure uses ../shared/data/video/s18.mp4, 1280x720).", Required = true };
        var command = new Command("extract", "Faces/s extracting a clip with dflc extract's default settings, beside a decode-only pass over the same clip in the same run.") { input, Profile };
        command.SetAction(async (r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            string scratch = Scratch();
            try
            {
                ExtractBenchResult b = await ExtractBenchmark.RunAsync(r.GetValue(input)!, catalog, new ExtractSettings(), scratch, r.GetValue(Profile)).ConfigureAwait(false);
                Console.Out.WriteLine(FormattableString.Invariant(
                    $"bench extract: {Path.GetFileName(b.Input)} {b.Width}x{b.Height}, {b.Frames} frames, {b.Faces} faces: {b.FacesPerSecond:F1} faces/s ({b.FramesPerSecond:F1} frames/s); decode only {b.DecodeFps:F1} frames/s; {b.Resources}"));
                PrintProfile(b.Profile, b.Frames);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Merge()
    {
        var input = new Option<string>("--input", "-i") { Description = "Clip to merge (the issue's figure uses ../shared/data/video/s18.mp4, 1280x720).", Required = true };
        var dims = new Option<string>("--dims") { DefaultValueFactory = _ => "128/32/32/16", Description = "ae/e/d/mask dims of the 64-px df model." };
        var merge = new Command("merge", "Frames/s merging a clip with a 64-px df model, beside a plain decode+encode of the same clip in the same run.") { input, dims, Profile };
        merge.SetAction(async (r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            ISwapModel swap = catalog.Create<ISwapModel>("saehd");
            int[] d = r.GetValue(dims)!.Split('/').Select(int.Parse).ToArray();
            SwapModelOptions options = swap.Defaults() with { Archi = "df", Resolution = 64, AeDims = d[0], EDims = d[1], DDims = d[2], DMaskDims = d[3] };
            string scratch = Scratch();
            try
            {
                Engine.Merge.MergeBenchResult b = await Engine.Merge.MergeBenchmark.RunAsync(r.GetValue(input)!, catalog, options, scratch, r.GetValue(Profile)).ConfigureAwait(false);
                Console.Out.WriteLine(FormattableString.Invariant(
                    $"bench merge: {Path.GetFileName(b.Input)} {b.Width}x{b.Height}, {b.Frames} frames ({b.FramesWithFaces} with a face), df 64px {r.GetValue(dims)}: {b.MergeFps:F1} frames/s merged; plain decode+encode {b.DecodeEncodeFps:F1} frames/s ({100 * b.MergeFps / b.DecodeEncodeFps:F0}% of it); {b.Resources}"));
                PrintProfile(b.Profile, b.Frames);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }

            return ExitCodes.Ok;
        });
        return merge;
    }

    private static string Scratch() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "dflc-bench-" + Environment.ProcessId)).FullName;

    private static void PrintProfile(StageTimes? profile, long frames)
    {
        foreach (string line in profile?.Table(frames) ?? [])
        {
            Console.Out.WriteLine(line);
        }
    }
}
