using DFLComposite.Engine.Extract;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>Runs <see cref="ExtractJob"/>s.</summary>
internal static class ExtractRunner
{
    public static async Task<JobResult> RunAsync(ExtractJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        FaceFinder finder = FaceFinders.ForExtract(context.Catalog, job.Settings);
        var extractor = new Extractor(finder, job.Settings, context.Loggers.CreateLogger<Extractor>(), context.Workers);
        ExtractResult result = await extractor.RunAsync(job.Inputs, job.Output, Report(progress, "extract"), ct).ConfigureAwait(false);
        var summary = new List<string>(result.Skipped);
        if (finder.Reference is { } person)
        {
            summary.Add(FaceFinders.Summary(person, "kept"));
        }

        summary.Add($"Wrote {result.Faces} faces to {result.Output}{(result.Resumed ? " (resumed)" : "")}");
        return new JobResult(job.Kind, [result.Output], summary, result);
    }

    /// <summary>Extraction progress as job progress: by source, then by frame within it.</summary>
    public static IProgress<ExtractProgress> Report(IProgress<JobProgress>? progress, string stage) => new InlineProgress<ExtractProgress>(p =>
        progress?.Report(new JobProgress(
            stage,
            ((p.SourceNumber - 1) + Math.Min(1.0, (double)p.Frame / Math.Max(1, p.TotalFrames))) / p.SourceCount,
            $"{Path.GetFileName(p.Source)} frame {p.Frame}/{p.TotalFrames}, {p.Faces} faces")));
}
