using System.Diagnostics;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Torch;
using DFLComposite.Engine.Training;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Segmentation;

public sealed record XSegProgress(long Iteration, double MsPerIteration, float Loss, TimeSpan? Eta, string? Event);

public sealed record XSegTrainResult(string Workspace, long Iteration, LossHistory History, bool Resumed, string StopReason, int LabelledFaces);

/// <summary>
/// Trains a segmentation network (XSeg) on the labelled faces of one or more facesets: per-pixel sigmoid
/// cross-entropy against the rasterised labels, as DeepFaceLab. Checkpoints, backups, resume, loss history and
/// plot are the swap trainer's machinery (<see cref="Checkpoint"/>, <see cref="AdamOptimizer"/>,
/// <see cref="LossHistory"/>, <see cref="TrainingReport"/>); the preview shows face | label | prediction.
/// </summary>
public sealed class XSegTrainer(ISegmentationModel model, XSegTrainSettings settings, ILogger log)
{
    public const string PreviewFile = "preview.png";
    public const string LossCsvFile = "loss.csv";
    public const string LossPlotFile = "loss.png";

    public XSegTrainResult Run(string workspace, IReadOnlyList<FaceSet> facesets, SegmentationOptions requested, IReadOnlySet<string> explicitOptions, IProgress<XSegProgress>? progress, CancellationToken ct)
    {
        settings.Validate();
        Directory.CreateDirectory(workspace);
        (SegmentationOptions options, string? resumeFile) = Resolve(workspace, requested, explicitOptions);
        model.Validate(options);
        IReadOnlyList<string> files = FaceSetLabels.LabelledFiles(facesets);
        log.LogInformation("XSeg: {Count} labelled faces in {Sets} faceset(s)", files.Count, facesets.Count);

        return Train(workspace, options, resumeFile, files, progress, ct);
    }

    private XSegTrainResult Train(string workspace, SegmentationOptions options, string? resumeFile, IReadOnlyList<string> files, IProgress<XSegProgress>? progress, CancellationToken ct)
    {
        torch.manual_seed(settings.Seed);
        using SegmentationNetwork network = model.Create(options);
        using var optimizer = new AdamOptimizer(network.parameters(), belief: false, settings.LearningRate);
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
        using var loader = new SegmentationLoader(files, options, settings.BatchSize, settings.Seed, settings.OccluderChance, OccluderFiles(settings.OccluderImages));
        var clock = Stopwatch.StartNew();
        var sinceSave = Stopwatch.StartNew();
        long startIteration = iteration, lastSaved = iteration;
        string stop = "";
        while (stop.Length == 0)
        {
            if (ct.IsCancellationRequested)
            {
                stop = "interrupted";
                break;
            }

            long it = iteration + 1;
            var stepClock = Stopwatch.StartNew();
            float loss;
            using (SegmentationBatch batch = loader.Batch(it))
            {
                loss = Step(network, optimizer, batch);
            }

            iteration = it;
            if (!float.IsFinite(loss))
            {
                throw new InvalidOperationException($"XSeg training diverged at iteration {it} (loss is NaN). Lower the learning rate, or resume from a backup in {Path.Combine(workspace, Checkpoint.BackupFolder)}.");
            }

            history.Add(new LossPoint(it, loss, float.NaN, float.NaN));
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
                Preview(workspace, network, loader);
                evt = "preview";
            }

            bool due = (settings.SaveEveryIterations > 0 && it - lastSaved >= settings.SaveEveryIterations) ||
                       (settings.SaveEveryMinutes > 0 && sinceSave.Elapsed.TotalMinutes >= settings.SaveEveryMinutes);
            if (due && stop.Length == 0)
            {
                Save(workspace, options, network, optimizer, history);
                (lastSaved, evt) = (it, "saved");
                sinceSave.Restart();
            }

            if (settings.ReportEvery > 0 && (it % settings.ReportEvery == 0 || evt is not null || stop.Length > 0))
            {
                double avg = clock.Elapsed.TotalMilliseconds / Math.Max(1, it - startIteration);
                TimeSpan? eta = settings.MaxIterations > 0 ? TimeSpan.FromMilliseconds(Math.Max(0, settings.MaxIterations - it) * avg)
                    : settings.MaxMinutes > 0 ? TimeSpan.FromMinutes(Math.Max(0, settings.MaxMinutes - clock.Elapsed.TotalMinutes)) : null;
                progress?.Report(new XSegProgress(it, stepClock.Elapsed.TotalMilliseconds, loss, eta, evt));
            }
        }

        Save(workspace, options, network, optimizer, history);
        Preview(workspace, network, loader);
        log.LogInformation("XSeg training stopped at iteration {Iteration}: {Reason}", iteration, stop);
        return new XSegTrainResult(workspace, iteration, history, resumeFile is not null, stop, files.Count);
    }

    /// <summary>Forward, sigmoid cross-entropy with the labels, backward, update. Returns the loss.</summary>
    /// <remarks>
    /// The backward pass runs without oneDNN, whose input gradient of XSeg's few-channel convolutions is wrong
    /// (see <see cref="TorchRuntime"/>); the forward pass keeps it (exact, and 3x faster).
    /// </remarks>
    public static float Step(SegmentationNetwork network, AdamOptimizer optimizer, SegmentationBatch batch)
    {
        using var scope = NewDisposeScope();
        Tensor logits = network.call(batch.Images);
        Tensor loss = nn.functional.binary_cross_entropy_with_logits(logits, batch.Masks);
        optimizer.ZeroGrad();
        using (TorchRuntime.WithoutOneDnn())
        {
            loss.backward();
        }

        optimizer.Update();
        return loss.item<float>();
    }

    private (SegmentationOptions Options, string? ResumeFile) Resolve(string workspace, SegmentationOptions requested, IReadOnlySet<string> explicitOptions)
    {
        if (Checkpoint.Resume(workspace, XSegWorkspace.Find, log) is not { } found)
        {
            return (requested, null);
        }

        StructuralOptions.EnsureUnchanged("XSeg model", workspace, found.Header.Options.Structural(), requested.Structural(), explicitOptions);
        return (found.Header.Options, found.File);
    }

    private static void Preview(string workspace, SegmentationNetwork network, SegmentationLoader loader)
    {
        using SegmentationBatch b = loader.Fixed(0, 4);
        SegmentationPreview.Write(Path.Combine(workspace, PreviewFile), network, b);
    }

    private void Save(string workspace, SegmentationOptions options, SegmentationNetwork network, AdamOptimizer optimizer, LossHistory history)
    {
        long parameters = network.parameters().Sum(p => p.numel());
        var header = new XSegCheckpointHeader(1, XSegCheckpointHeader.SegmentationKind, options, settings, optimizer.Step, DateTimeOffset.UtcNow, parameters);
        Checkpoint.Save(workspace, header, network, optimizer, history, settings.Backups);
        // One loss, not src/dst: a CSV of its own (the history itself is the shared type, kept in Src).
        AtomicFile.WriteAllText(Path.Combine(workspace, LossCsvFile), "iteration,loss\n" + string.Concat(history.Points.Select(p => FormattableString.Invariant($"{p.Iteration},{p.Src:G6}\n"))));
        TrainingReport.WriteLossPlot(Path.Combine(workspace, LossPlotFile), history, srcLabel: "loss");
    }

    private static string[] OccluderFiles(IEnumerable<string> paths) => paths
        .SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Where(Media.ImageIO.IsImage).Order(StringComparer.Ordinal)
            : File.Exists(p) ? new[] { p } : throw new Media.MediaException($"{p}: occluder image or folder not found."))
        .ToArray();
}
