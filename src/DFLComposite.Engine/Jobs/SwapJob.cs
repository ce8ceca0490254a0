using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs;

/// <summary>The parts a whole swap uses (created by the host from its plugin catalog).</summary>
/// <param name="SrcPerson">Keeps only this person's faces from the src inputs (src clips or photos with several people).</param>
/// <param name="DstPerson">Extracts and swaps only this person in the dst clip; everyone else is left as they are.</param>
/// <param name="Embedder">Identity embedder for the training's identity loss (<see cref="TrainSettings.IdentityWeight"/>).</param>
public sealed record SwapParts(
    IFaceDetector Detector, ILandmarker Landmarker, ISwapModel Model, IColorTransfer? Color,
    ReferenceFilter? SrcPerson = null, ReferenceFilter? DstPerson = null, Identity.IFaceEmbedder? Embedder = null);

/// <summary>What a whole swap is told: model options, how long to train, how to merge.</summary>
/// <param name="SrcMaxFaces">Keep only the largest n faces per src photo or frame (0 = all): a group photo as src.</param>
public sealed record SwapJobSettings(SwapModelOptions Model, TrainSettings Train, MergeSettings Merge, int FaceSize = 256, int DstEvery = 1, int SrcMaxFaces = 0);

/// <summary>A stage of <see cref="SwapJob"/> reporting progress.</summary>
public sealed record SwapProgress(string Stage, double Fraction, string Detail);

/// <summary>
/// <c>dflc swap</c>: extract the src and dst faces, train, merge — each stage resumable, keeping its results in
/// the workspace (<c>src-faces/</c>, <c>dst-faces/</c>, <c>model/</c>), so a re-run skips finished extraction and
/// continues training from the saved model.
/// </summary>
public sealed class SwapJob(SwapParts parts, SwapJobSettings settings, ILoggerFactory loggers)
{
    public async Task<MergeResult> RunAsync(IReadOnlyList<string> src, string dst, string output, string workspace, IProgress<SwapProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(workspace);
        var extract = new ExtractSettings { Size = settings.FaceSize };
        FaceSet srcSet = await Faces(extract with { MaxFaces = settings.SrcMaxFaces }, parts.SrcPerson, src, Path.Combine(workspace, "src-faces"), "extract src", progress, ct).ConfigureAwait(false);
        FaceSet dstSet = await Faces(extract with { Every = settings.DstEvery }, parts.DstPerson, [dst], Path.Combine(workspace, "dst-faces"), "extract dst", progress, ct).ConfigureAwait(false);

        string model = Path.Combine(workspace, "model");
        var trainer = new Trainer(parts.Model, settings.Train, loggers.CreateLogger<Trainer>(), settings.Train.IdentityWeight > 0 ? parts.Embedder : null);
        TrainResult trained = await Task.Run(
            () => trainer.Run(model, srcSet, dstSet, settings.Model, new HashSet<string>(), new Inline<TrainProgress>(p =>
                progress?.Report(new SwapProgress("train", TrainFraction(p), FormattableString.Invariant($"iteration {p.Iteration}, src {p.SrcLoss:F3}, dst {p.DstLoss:F3}")))), ct),
            ct).ConfigureAwait(false);
        if (trained.StopReason == "interrupted")
        {
            throw new OperationCanceledException();
        }

        using SwapModelRunner runner = SwapModelRunner.FromNetwork(LoadTrained(model));
        var mergeFinder = new FaceFinder(parts.Detector, parts.Landmarker, extract with { Smooth = settings.Merge.Smooth, DetectEvery = settings.Merge.DetectEvery }, parts.DstPerson);
        var merger = new Merger(mergeFinder, new FaceComposer(runner, settings.Merge, parts.Color), settings.Merge, loggers.CreateLogger<Merger>());
        return await merger.RunAsync(dst, output, null, new Inline<MergeProgress>(p =>
            progress?.Report(new SwapProgress("merge", (double)p.Frame / Math.Max(1, p.TotalFrames), $"frame {p.Frame}/{p.TotalFrames}"))), ct).ConfigureAwait(false);
    }

    // By iterations when capped by iterations, else by the time left of --minutes.
    private double TrainFraction(TrainProgress p) =>
        settings.Train.MaxIterations > 0 ? (double)p.Iteration / settings.Train.MaxIterations
        : settings.Train.MaxMinutes > 0 && p.Eta is { } eta ? Math.Clamp(1 - (eta.TotalMinutes / settings.Train.MaxMinutes), 0, 1)
        : 0;

    private (SwapModelOptions, Training.SwapNetwork) LoadTrained(string model)
    {
        (CheckpointHeader header, string file, _) = Checkpoint.Find(model);
        Training.SwapNetwork network = parts.Model.Create(header.Options);
        Checkpoint.LoadWeights(file, network);
        return (header.Options, network);
    }

    private async Task<FaceSet> Faces(ExtractSettings extract, ReferenceFilter? person, IReadOnlyList<string> inputs, string folder, string stage, IProgress<SwapProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(folder, FaceSetIndex.FileName)))
        {
            var extractor = new Extractor(new FaceFinder(parts.Detector, parts.Landmarker, extract, person), extract, loggers.CreateLogger<Extractor>());
            await extractor.RunAsync(inputs, folder, new Inline<ExtractProgress>(p =>
                progress?.Report(new SwapProgress(stage, ((p.SourceNumber - 1) + Math.Min(1.0, (double)p.Frame / Math.Max(1, p.TotalFrames))) / p.SourceCount, $"{p.Faces} faces"))), ct).ConfigureAwait(false);
        }

        return FaceSet.Open(folder);
    }

    private sealed class Inline<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
