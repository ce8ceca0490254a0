using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Training;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>Runs <see cref="TrainJob"/>s.</summary>
internal static class TrainRunner
{
    public static JobResult Run(TrainJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        ISwapModel swap = context.Catalog.Create<ISwapModel>(job.Model.Model);
        (SwapModelOptions options, IReadOnlySet<string> given) = job.Model.Resolve(swap);
        string ws = job.Workspace;
        if (job.Resume && !File.Exists(Path.Combine(ws, Checkpoint.FileName)) && !Directory.Exists(Path.Combine(ws, Checkpoint.BackupFolder)))
        {
            throw JobValidationException.For("resume", $"there is no model in {ws} to resume. Check the workspace, or leave resume out to start a new model");
        }

        FaceSet src = FaceSet.Open(job.Src), dst = FaceSet.Open(job.Dst);
        IFaceEmbedder? identity = Embedder(job, context);
        // with the identity plugin, validation also judges the swap as dflc evaluate does (needs the extract stage's detector and mesh)
        Extract.FaceFinder? finder = identity is null ? null : Extract.FaceFinders.ForExtract(context.Catalog, new Extract.ExtractSettings());
        var trainer = new Trainer(swap, job.Settings, context.Loggers.CreateLogger<Trainer>(), identity, finder);
        TrainResult result = trainer.Run(ws, src, dst, options, given, Report(progress, "train", job.Settings, ws), ct);
        return new JobResult(job.Kind, [Path.Combine(ws, Checkpoint.FileName)],
            [$"Stopped at iteration {result.Iteration} ({result.StopReason}). Model: {Path.Combine(ws, Checkpoint.FileName)}; preview: {Path.Combine(ws, Trainer.PreviewFile)}; losses: {Path.Combine(ws, Trainer.LossPlotFile)}"],
            result, Interrupted: result.StopReason == "interrupted");
    }

    /// <summary>Training progress as job progress: one line per report, by iterations or by the time left.</summary>
    public static IProgress<TrainProgress> Report(IProgress<JobProgress>? progress, string stage, TrainSettings settings, string workspace) => new InlineProgress<TrainProgress>(p =>
        progress?.Report(new JobProgress(
            stage,
            Fraction(settings, p.Iteration, p.Eta),
            FormattableString.Invariant(
                $"[{p.Iteration:D6}] {p.MsPerIteration:F0} ms/it  src {p.SrcLoss:F4}  dst {p.DstLoss:F4}{(float.IsNaN(p.ValLoss) ? "" : $"  val {p.ValLoss:F4}")}{(p.Eta is { } eta ? $"  ETA {eta:hh\\:mm\\:ss}" : "")}{(p.Event is null ? "" : "  " + p.Event)}"),
            p.Event == "preview" ? Path.Combine(workspace, Trainer.PreviewFile) : null)));

    // By iterations when capped by iterations, else by the time left of the minutes.
    internal static double Fraction(TrainSettings settings, long iteration, TimeSpan? eta) =>
        settings.MaxIterations > 0 ? Math.Min(1, (double)iteration / settings.MaxIterations)
        : settings.MaxMinutes > 0 && eta is { } e ? Math.Clamp(1 - (e.TotalMinutes / settings.MaxMinutes), 0, 1)
        : 0;

    // The embedder is needed for the identity loss; when installed it also gives validation its identity metric.
    private static IFaceEmbedder? Embedder(TrainJob job, JobContext context)
    {
        if (job.Settings.IdentityWeight > 0)
        {
            return context.Catalog.Create<IFaceEmbedder>(job.Embedder);
        }

        if (!context.Catalog.PartsOf<IFaceEmbedder>().Any(p => p.Metadata.Name == job.Embedder))
        {
            return null;
        }

        try
        {
            return context.Catalog.Create<IFaceEmbedder>(job.Embedder);
        }
        catch (Exception ex) when (ex is ModelFileException or InvalidDataException)
        {
            // only the validation metric needs it here: train without, and say why
            context.Loggers.CreateLogger("train").LogWarning("Identity validation metric off: {Reason}", ex.Message);
            return null;
        }
    }
}
