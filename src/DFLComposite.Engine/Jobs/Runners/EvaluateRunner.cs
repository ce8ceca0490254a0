using System.Globalization;
using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>Runs <see cref="EvaluateJob"/>s: the report files and its headline figures as summary lines.</summary>
internal static class EvaluateRunner
{
    public static async Task<JobResult> RunAsync(EvaluateJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        using SwapModelRunner model = SwapModelRunner.Load(job.Workspace, context.Catalog);
        FaceFinder finder = FaceFinders.ForExtract(context.Catalog, new ExtractSettings());
        var evaluator = new SwapEvaluator(finder, context.Catalog.Create<IFaceEmbedder>(job.Embedder), context.Catalog.Create<IColorTransfer>("rct"), context.Loggers.CreateLogger<SwapEvaluator>());
        FaceSet src = FaceSet.Open(job.Src);
        EvaluationReport report = await evaluator.RunAsync(job.Workspace, model, src, job.Dst, job.Output,
            new InlineProgress<EvaluateProgress>(p => progress?.Report(new JobProgress("evaluate", p.Fraction, p.Stage))), ct).ConfigureAwait(false);
        await ReportWriter.WriteAsync(report, job.Output, finder, ct).ConfigureAwait(false);
        string html = Path.Combine(job.Output, ReportWriter.HtmlFile);
        return new JobResult(job.Kind, [html, Path.Combine(job.Output, ReportWriter.JsonFile)], [.. Lines(report), $"Report: {html} ({ReportWriter.JsonFile} beside it)"], report);
    }

    private static IEnumerable<string> Lines(EvaluationReport r)
    {
        var c = CultureInfo.InvariantCulture;
        yield return $"Verdict: {r.Verdict}";
        QualityFigures q = r.Quality;
        yield return string.Format(c, "face check: {0:P0} of swapped frames found as a face; median sharpness {1:0.00} of the dst's; {2:P0} of valid frames verified as src, {3:P0} still as dst (original dst as src: {4:P0})",
            q.ValidFraction, q.MedianSharpness ?? double.NaN, q.VerifiedAsSrc, q.VerifiedAsDst, q.OriginalVerifiedAsSrc);
        foreach (ReconstructionMetrics m in r.Reconstruction)
        {
            yield return string.Format(c, "{0}->{0}: SSIM {1:0.000}, PSNR {2:0.0} dB on {3} faces{4}", m.Side, m.Ssim, m.Psnr, m.Faces, m.HeldOut ? " (held out)" : "");
        }

        if (r.Identity is { } id)
        {
            yield return string.Format(c, "identity distance: swapped->src {0:0.000}, swapped->dst {1:0.000}, original dst->src {2:0.000} (same person below {3:0.00}); {4:P0} of frames closer to src",
                id.SwappedToSrc, id.SwappedToDst, id.OriginalToSrc, id.Threshold, id.FractionCloserToSrc);
        }

        if (r.Fidelity is { } f)
        {
            yield return string.Format(c, "fidelity: landmark error {0:0.000} eye distances, yaw diff {1:0.0} deg, pitch diff {2:0.0} deg", f.LandmarkError, f.YawDifference, f.PitchDifference);
        }

        if (r.Temporal is { } t)
        {
            yield return string.Format(c, "temporal: jitter {0:0.0000} (dst {1:0.0000}), flicker {2:0.00} (dst {3:0.00})", t.SwappedJitter, t.DstJitter, t.SwappedFlicker, t.DstFlicker);
        }
    }
}
