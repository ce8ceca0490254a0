using System.Diagnostics;
using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.IO;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

public sealed record TrainProgress(long Iteration, double MsPerIteration, float SrcLoss, float DstLoss, float ValLoss, TimeSpan? Eta, string? Event);

public sealed record TrainResult(string Workspace, long Iteration, LossHistory History, bool Resumed, string StopReason);

/// <summary>
/// DeepFaceLab's trainer, shared by every <see cref="ISwapModel"/>: sampling, DFL's losses, AdaBelief/Adam,
/// checkpoints (atomic, checksummed, rotating backups, every N minutes and on stop), previews, loss history and
/// plot, validation on the facesets' val split, early stopping and LR schedules. Stopping (Ctrl+C, SIGTERM,
/// limits) always ends with a save, and a run with the same workspace resumes.
/// </summary>
/// <param name="embedder">Identity embedder for the identity loss and the identity validation metric (optional).</param>
/// <param name="finder">The extract stage's detector and mesh: with an embedder and a dst val split, each validation also
/// judges the swap of the val faces as <c>dflc evaluate</c> does (face check, sharpness, verification), for metrics.csv,
/// quality.png and <see cref="TrainSettings.UntilQuality"/> (optional).</param>
public sealed class Trainer(ISwapModel model, TrainSettings settings, ILogger log, IFaceEmbedder? embedder = null, Extract.FaceFinder? finder = null)
{
    public const string PreviewFile = "preview.png";
    public const string LossCsvFile = "loss.csv";
    public const string LossPlotFile = "loss.png";

    /// <param name="requested">Options for a new model; for an existing one, any structural option that differs is an error.</param>
    /// <param name="explicitOptions">Names (as in <see cref="SwapModelOptions.Structural"/>) the user set on purpose.</param>
    public TrainResult Run(string workspace, FaceSet src, FaceSet dst, SwapModelOptions requested, IReadOnlySet<string> explicitOptions, IProgress<TrainProgress>? progress, CancellationToken ct)
    {
        settings.Validate();
        Directory.CreateDirectory(workspace);
        (SwapModelOptions options, string? resumeFile) = Resolve(workspace, requested, explicitOptions);
        model.Validate(options);

        torch.manual_seed(settings.Seed);
        using SwapNetwork network = model.Create(options);
        using var optimizer = new AdamOptimizer(network.GeneratorParameters(), settings.Optimizer == "adabelief", settings.LearningRate);
        var history = new LossHistory();
        long iteration = 0;
        if (resumeFile is not null)
        {
            history = Checkpoint.Load(resumeFile, network, optimizer);
            iteration = optimizer.Step;
            history.TruncateAfter(iteration);
            log.LogInformation("Resumed {File} at iteration {Iteration}", resumeFile, iteration);
        }

        network.train();
        using SampleLoader srcLoader = Loader(src, "train", options, settings.RandomFlipSrc, salt: 1);
        using SampleLoader dstLoader = Loader(dst, "train", options, settings.RandomFlipDst, salt: 2);
        using SampleLoader? srcVal = SampleLoader.Files(src, "val").Count > 0 ? Loader(src, "val", options, false, 3) : null;
        using SampleLoader? dstVal = SampleLoader.Files(dst, "val").Count > 0 ? Loader(dst, "val", options, false, 4) : null;
        if (settings.IdentityWeight > 0 && embedder is null)
        {
            throw Settings.JobValidationException.For("settings.identityWeight", "needs an identity embedder plugin (facerec); see `dflc plugins`");
        }

        using IdentityLoss? identity = embedder is null ? null : IdentityLoss.Create(embedder, src, options);
        using ValidationQuality? quality = finder is not null && embedder is not null && dstVal is not null ? new ValidationQuality(finder, embedder, src, dst, options) : null;
        if (settings.UntilQuality != "none" && (quality is null || quality.Count == 0))
        {
            throw Settings.JobValidationException.For("settings.untilQuality", "needs a val split on the dst faceset (dflc faceset split) and the identity plugin (facerec)");
        }

        var step = new TrainStep(network, optimizer, settings, options.Resolution, identity);

        var clock = Stopwatch.StartNew();
        var sinceSave = Stopwatch.StartNew();
        ValidationLog validation = ValidationLog.Load(workspace, iteration);
        long startIteration = iteration, lastSaved = iteration;
        float bestVal = float.PositiveInfinity;
        int stale = 0;
        string stop = "";
        while (stop.Length == 0)
        {
            if (ct.IsCancellationRequested)
            {
                stop = "interrupted";
                break;
            }

            long it = iteration + 1;
            optimizer.LearningRate = LearningRate(it);
            var stepClock = Stopwatch.StartNew();
            float srcLoss, dstLoss;
            using (SampleBatch s = srcLoader.Batch(it))
            using (SampleBatch d = dstLoader.Batch(it))
            {
                (srcLoss, dstLoss) = step.Run(s, d);
            }

            iteration = it;
            double ms = stepClock.Elapsed.TotalMilliseconds;
            if (!float.IsFinite(srcLoss) || !float.IsFinite(dstLoss))
            {
                throw new InvalidOperationException($"Training diverged at iteration {it} (loss is NaN). Lower the learning rate, or resume from a backup in {Path.Combine(workspace, Checkpoint.BackupFolder)}.");
            }

            float val = float.NaN;
            if (settings.ValidateEvery > 0 && it % settings.ValidateEvery == 0 && (srcVal is not null || dstVal is not null))
            {
                ValidationPoint point = Validate(it, network, step, srcVal, dstVal, identity, quality, log);
                validation.Add(point);
                if (settings.UntilQuality != "none" && QualityLevel.Rank(point.Quality) >= QualityLevel.Rank(settings.UntilQuality))
                {
                    stop = $"the swap of the dst val faces reached the quality level {point.Quality}";
                }

                val = point.Loss;
                if (val < bestVal - 1e-5f)
                {
                    (bestVal, stale) = (val, 0);
                }
                else if (settings.Patience > 0 && ++stale >= settings.Patience && stop.Length == 0)
                {
                    stop = $"early stop: validation loss has not improved for {settings.Patience} validations";
                }
            }

            history.Add(new LossPoint(it, srcLoss, dstLoss, val));
            if (settings.MaxIterations > 0 && it >= settings.MaxIterations)
            {
                stop = $"reached the iteration limit {settings.MaxIterations}";
            }
            else if (settings.MaxMinutes > 0 && clock.Elapsed.TotalMinutes >= settings.MaxMinutes)
            {
                stop = $"reached the time limit of {settings.MaxMinutes} minutes";
            }

            string? evt = null;
            if (settings.PreviewEvery > 0 && it % settings.PreviewEvery == 0)
            {
                Preview(workspace, network, srcLoader, dstLoader);
                evt = "preview";
            }

            bool due = (settings.SaveEveryIterations > 0 && it - lastSaved >= settings.SaveEveryIterations) ||
                       (settings.SaveEveryMinutes > 0 && sinceSave.Elapsed.TotalMinutes >= settings.SaveEveryMinutes);
            if (due && stop.Length == 0)
            {
                Save(workspace, options, network, optimizer, history, validation);
                (lastSaved, evt) = (it, "saved");
                sinceSave.Restart();
            }

            if (settings.ReportEvery > 0 && (it % settings.ReportEvery == 0 || evt is not null || stop.Length > 0))
            {
                double avg = clock.Elapsed.TotalMilliseconds / Math.Max(1, it - startIteration);
                progress?.Report(new TrainProgress(it, ms, srcLoss, dstLoss, val, Eta(it, avg, clock.Elapsed), evt));
            }
        }

        Save(workspace, options, network, optimizer, history, validation);
        Preview(workspace, network, srcLoader, dstLoader);
        log.LogInformation("Training stopped at iteration {Iteration}: {Reason}", iteration, stop);
        return new TrainResult(workspace, iteration, history, resumeFile is not null, stop);
    }

    private (SwapModelOptions Options, string? ResumeFile) Resolve(string workspace, SwapModelOptions requested, IReadOnlySet<string> explicitOptions)
    {
        if (Checkpoint.Resume(workspace, SwapWorkspace.Find, log) is not { } found)
        {
            return (requested, null);
        }

        StructuralOptions.EnsureUnchanged("model", workspace, found.Header.Options.Structural(), requested.Structural(), explicitOptions);
        return (found.Header.Options, found.File);
    }

    /// <summary>Loss, SSIM and (with an embedder) the swap's identity distance on the fixed held-out faces.</summary>
    private static ValidationPoint Validate(long iteration, SwapNetwork network, TrainStep step, SampleLoader? srcVal, SampleLoader? dstVal, IdentityLoss? identity, ValidationQuality? quality, ILogger log)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        double sum = 0;
        int n = 0;
        float srcSsim = float.NaN, dstSsim = float.NaN, swapIdentity = float.NaN;
        foreach ((SampleLoader? loader, FaceSide side) in new[] { (srcVal, FaceSide.Src), (dstVal, FaceSide.Dst) })
        {
            if (loader is null)
            {
                continue;
            }

            using SampleBatch b = loader.Fixed(0, Math.Min(16, loader.Count));
            sum += step.Loss(b, side).item<float>();
            n++;
            float ssim = 1 - (2 * Losses.Dssim(network.Reconstruct(b.Input, side).Image, b.Target, 11).item<float>());
            (srcSsim, dstSsim) = side == FaceSide.Src ? (ssim, dstSsim) : (srcSsim, ssim);
            if (side == FaceSide.Dst && identity is not null)
            {
                swapIdentity = identity.SrcDistance(identity.Embed(network.Swap(b.Input).Image)).mean().item<float>();
            }
        }

        var point = new ValidationPoint(iteration, (float)(sum / Math.Max(1, n)), srcSsim, dstSsim, swapIdentity);
        if (quality is not null)
        {
            (QualityVerdict verdict, QualityFigures f) = quality.Measure(network);
            log.LogInformation("Validation at {Iteration}: {Verdict}", iteration, verdict);
            point = point with { ValidFraction = (float)f.ValidFraction, Sharpness = (float)(f.MedianSharpness ?? double.NaN), VerifiedAsSrc = (float)f.VerifiedAsSrc, Quality = verdict.Level };
        }

        network.train();
        return point;
    }

    private static void Preview(string workspace, SwapNetwork network, SampleLoader src, SampleLoader dst)
    {
        using SampleBatch s = src.Fixed(0, 4);
        using SampleBatch d = dst.Fixed(0, 4);
        TrainingReport.WritePreview(Path.Combine(workspace, PreviewFile), network, s.Target, d.Target);
    }

    private void Save(string workspace, SwapModelOptions options, SwapNetwork network, AdamOptimizer optimizer, LossHistory history, ValidationLog validation)
    {
        if (validation.Points.Count > 0)
        {
            validation.Save(workspace);
        }

        long parameters = network.parameters().Sum(p => p.numel());
        Checkpoint.Save(workspace, new CheckpointHeader(1, options, settings, optimizer.Step, DateTimeOffset.UtcNow, parameters), network, optimizer, history, settings.Backups);
        AtomicFile.WriteAllText(Path.Combine(workspace, LossCsvFile), history.ToCsv());
        TrainingReport.WriteLossPlot(Path.Combine(workspace, LossPlotFile), history);
    }

    private SampleLoader Loader(FaceSet set, string split, SwapModelOptions o, bool flip, int salt) => new(
        SampleLoader.Files(set, split), o.FaceType, o.Resolution, settings.BatchSize, settings.Seed, flip,
        warp: settings.RandomWarp && split == "train", uniformYaw: settings.UniformYaw && salt == 1, settings.EffectiveLoaderThreads, salt);

    private double LearningRate(long it)
    {
        double lr = settings.LearningRate;
        long total = settings.MaxIterations;
        return settings.LrSchedule switch
        {
            "cosine" when total > 0 => lr * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (double)it / total))),
            "step" when total > 0 => lr * (it > total * 3 / 4 ? 0.01 : it > total / 2 ? 0.1 : 1),
            _ => lr,
        };
    }

    private TimeSpan? Eta(long it, double avgMs, TimeSpan elapsed)
    {
        if (settings.MaxIterations > 0)
        {
            return TimeSpan.FromMilliseconds(Math.Max(0, settings.MaxIterations - it) * avgMs);
        }

        return settings.MaxMinutes > 0 ? TimeSpan.FromMinutes(Math.Max(0, settings.MaxMinutes - elapsed.TotalMinutes)) : null;
    }
}
