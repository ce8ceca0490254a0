using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Jobs.Runners;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// A <see cref="SwapJob"/>: extract the src and dst faces, train, merge — each stage resumable, keeping its results in
/// the workspace (<c>src-faces/</c>, <c>dst-faces/</c>, <c>model/</c>), so a re-run skips finished extraction and
/// continues training from the saved model.
/// </summary>
internal static class SwapPipeline
{
    public static async Task<JobResult> RunAsync(SwapJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        string workspace = job.Workspace;
        Directory.CreateDirectory(workspace);
        ExtractSettings extract = job.Extract;
        IFaceDetector detector = context.Catalog.Create<IFaceDetector>(extract.Detector);
        ILandmarker landmarker = context.Catalog.Create<ILandmarker>(extract.Landmarker);
        ReferenceFilter? srcPerson = FaceFinders.Reference(context.Catalog, detector, landmarker, job.SrcReference, job.ReferenceThreshold, extract.MinScore);
        ReferenceFilter? dstPerson = FaceFinders.Reference(context.Catalog, detector, landmarker, job.DstReference, job.ReferenceThreshold, extract.MinScore);
        FaceSet srcSet = await Faces(context, new FaceFinder(detector, landmarker, extract with { MaxFaces = job.SrcMaxFaces }, srcPerson), job.Src, Path.Combine(workspace, "src-faces"), "extract src", progress, ct).ConfigureAwait(false);
        FaceSet dstSet = await Faces(context, new FaceFinder(detector, landmarker, extract with { Every = job.DstEvery }, dstPerson), [job.Dst], Path.Combine(workspace, "dst-faces"), "extract dst", progress, ct).ConfigureAwait(false);

        string model = Path.Combine(workspace, "model");
        ISwapModel swap = context.Catalog.Create<ISwapModel>(job.Model.Model);
        (SwapModelOptions options, IReadOnlySet<string> given) = job.Model.Resolve(swap);
        IFaceEmbedder? embedder = job.Train.IdentityWeight > 0 ? context.Catalog.Create<IFaceEmbedder>(ReferenceFilter.DefaultEmbedder) : null;
        var trainer = new Trainer(swap, job.Train, context.Loggers.CreateLogger<Trainer>(), embedder);
        TrainResult trained = await Task.Run(() => trainer.Run(model, srcSet, dstSet, options, given, TrainRunner.Report(progress, "train", job.Train, model), ct), ct).ConfigureAwait(false);
        if (trained.StopReason == "interrupted")
        {
            throw new OperationCanceledException();
        }

        var merge = new MergeJob
        {
            Workspace = model, Input = job.Dst, Output = job.Output, Settings = job.Merge,
            Reference = job.DstReference, ReferenceThreshold = job.DstReference is { Count: > 0 } ? job.ReferenceThreshold : null,
        };
        JobResult merged = await MergeRunner.RunAsync(merge, context, progress, ct, "merge").ConfigureAwait(false);
        var result = (MergeResult)merged.Details!;
        var summary = new List<string>();
        if (dstPerson is not null)
        {
            summary.Add(FaceFinders.Summary(dstPerson, "extracted and swapped"));
        }

        summary.Add($"Swapped {result.FramesWithFaces} of {result.Frames} frames into {result.Output}");
        return new JobResult(job.Kind, [result.Output, model], summary, result);
    }

    private static async Task<FaceSet> Faces(JobContext context, FaceFinder finder, IReadOnlyList<string> inputs, string folder, string stage, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(folder, FaceSetIndex.FileName)))
        {
            var extractor = new Extractor(finder, finder.Settings, context.Loggers.CreateLogger<Extractor>(), context.Workers);
            await extractor.RunAsync(inputs, folder, ExtractRunner.Report(progress, stage), ct).ConfigureAwait(false);
        }

        return FaceSet.Open(folder);
    }
}
