using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>Runs merge, mask and render jobs: a <see cref="FrameMerger"/> session over the file <see cref="Merger"/>.</summary>
internal static class MergeRunner
{
    public static async Task<JobResult> RunAsync(FrameJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct, string stage = "")
    {
        double fps = ImageIO.IsImage(job.Input) ? 25 : VideoProbe.Probe(job.Input).FrameRate;
        using FrameMerger session = FrameMerger.Open(job, context, fps);
        MergeRange? range = job.Range;
        var merger = new Merger(session, context.Loggers.CreateLogger<Merger>(), context.Workers);
        stage = stage.Length > 0 ? stage : job.Kind;
        MergeResult result = await merger.RunAsync(job.Input, Outputs(job) with { Preview = context.PreviewFile }, range,
            new InlineProgress<MergeProgress>(p => progress?.Report(new JobProgress(
                stage, (double)p.Frame / Math.Max(1, p.TotalFrames),
                range is null ? $"frame {p.Frame}/{p.TotalFrames}, {p.FramesWithFaces} with a face" : $"frame {range.First + p.Frame - 1} ({p.Frame}/{p.TotalFrames})",
                p.Preview))),
            ct).ConfigureAwait(false);
        var summary = new List<string>();
        if (session.Finder.Reference is { } person)
        {
            summary.Add(FaceFinders.Summary(person, job is MaskJob ? "matted" : "swapped"));
        }

        string verb = stage == "render" ? "Rendered" : job is MaskJob ? "Matted" : "Merged";
        summary.Add(range is null
            ? $"{verb} {result.Frames} frames ({result.FramesWithFaces} with a face){(result.Audio ? " with the input's audio" : "")} into {result.Output}"
            : $"{verb} frames {range.First}-{range.First + result.Frames - 1} ({result.FramesWithFaces} with a face) into {result.Output}");
        return new JobResult(job.Kind, Outputs(job).Paths().ToArray(), summary, result);
    }

    public static async Task<JobResult> RenderAsync(RenderJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        JobResult chunk = await RunAsync(job.Chunk, context, progress, ct, "render").ConfigureAwait(false);
        return chunk with { Kind = job.Kind };
    }

    /// <summary>Where a merge or mask job writes, as the merger takes it (a mask job's codec follows its output's type).</summary>
    public static MergeOutputs Outputs(FrameJob job) => job switch
    {
        MergeJob m => new MergeOutputs(m.Output, m.MaskOutput, m.DebugOutput, m.Alpha, Format: m.Format),
        // .mov: the footage with the matte as alpha (prores 4444); other videos are the grey matte itself
        MaskJob k => new MergeOutputs(k.Output, Alpha: Path.GetExtension(k.Output).Equals(".mov", StringComparison.OrdinalIgnoreCase), MatteOnly: true, Format: k.Format),
        _ => throw new ArgumentException(job.Kind),
    };

    private static IEnumerable<string> Paths(this MergeOutputs o) =>
        new[] { o.Output, o.MaskOutput, o.DebugOutput }.OfType<string>();
}
