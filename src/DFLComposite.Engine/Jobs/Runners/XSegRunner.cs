using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Training;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>Runs <see cref="XSegTrainJob"/>s and <see cref="XSegApplyJob"/>s.</summary>
internal static class XSegRunner
{
    public static JobResult Train(XSegTrainJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        ISegmentationModel segmenter = context.Catalog.Create<ISegmentationModel>(job.Model.Model);
        (SegmentationOptions options, IReadOnlySet<string> given) = job.Model.Resolve(segmenter);
        FaceSet[] sets = job.Facesets.Select(FaceSet.Open).ToArray();
        string ws = job.Workspace;
        XSegTrainSettings s = job.Settings;
        var lines = new InlineProgress<XSegProgress>(p => progress?.Report(new JobProgress(
            "xseg-train",
            s.MaxIterations > 0 ? Math.Min(1, (double)p.Iteration / s.MaxIterations) : s.MaxMinutes > 0 && p.Eta is { } e ? Math.Clamp(1 - (e.TotalMinutes / s.MaxMinutes), 0, 1) : 0,
            FormattableString.Invariant($"[{p.Iteration:D6}] {p.MsPerIteration:F0} ms/it  loss {p.Loss:F4}{(p.Eta is { } eta ? $"  ETA {eta:hh\\:mm\\:ss}" : "")}{(p.Event is null ? "" : "  " + p.Event)}"),
            p.Event == "preview" ? Path.Combine(ws, XSegTrainer.PreviewFile) : null)));
        XSegTrainResult result = new XSegTrainer(segmenter, s, context.Loggers.CreateLogger<XSegTrainer>()).Run(ws, sets, options, given, lines, ct);
        return new JobResult(job.Kind, [Path.Combine(ws, Checkpoint.FileName)],
            [$"Stopped at iteration {result.Iteration} ({result.StopReason}) on {result.LabelledFaces} labelled faces. Model: {Path.Combine(ws, Checkpoint.FileName)}; preview: {Path.Combine(ws, XSegTrainer.PreviewFile)}; losses: {Path.Combine(ws, XSegTrainer.LossPlotFile)}"],
            result, Interrupted: result.StopReason == "interrupted");
    }

    public static JobResult Apply(XSegApplyJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        using XSegMasker masker = XSegMasker.Load(job.Workspace, context.Catalog, context.Loggers.CreateLogger("xseg"));
        var summary = new List<string>();
        for (int i = 0; i < job.Facesets.Count; i++)
        {
            FaceSet set = FaceSet.Open(job.Facesets[i]);
            int sets = job.Facesets.Count, index = i;
            int n = XSegApply.Run(masker, set, new InlineProgress<(int Done, int Total)>(p => progress?.Report(new JobProgress(
                "xseg-apply", (index + ((double)p.Done / Math.Max(1, p.Total))) / sets, $"{Path.GetFileName(set.Directory)}: {p.Done}/{p.Total} faces"))), ct);
            summary.Add($"{set.Directory}: {n} face(s) masked");
        }

        return new JobResult(job.Kind, job.Facesets, summary);
    }
}
