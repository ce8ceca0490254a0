using DFLComposite.Engine.Align;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using static TorchSharp.torch;
using Size = OpenCvSharp.Size;

namespace DFLComposite.Engine.Evaluate;

public sealed record EvaluateProgress(string Stage, double Fraction);

/// <summary>
/// <c>dflc evaluate</c>: measures a trained model. On faces: reconstruction SSIM/PSNR of src→src and dst→dst (the
/// test split when the faceset has one). On a dst video: merges it, then compares every merged frame with the
/// original — identity distance of the swapped face to the src person and to the dst person, landmark and head-pose
/// differences (the swap should keep the dst's expression and pose), and jitter/flicker beside the dst's own.
/// On a dst faceset: the same identity measures on swapped face crops.
/// </summary>
/// <param name="merge">How the dst video is merged (default: <c>dflc merge</c>'s defaults).</param>
public sealed partial class SwapEvaluator(FaceFinder finder, IFaceEmbedder embedder, IColorTransfer? color, ILogger log, MergeSettings? merge = null)
{
    private const int MaxFaces = 64;

    /// <param name="workspace">The model's workspace (its iteration is read from the checkpoint there).</param>
    public Task<EvaluationReport> RunAsync(string workspace, SwapModelRunner model, FaceSet src, string dst, string outputDir, IProgress<EvaluateProgress>? progress, CancellationToken ct) =>
        RunAsync(workspace, Checkpoint.Find(workspace).Header.Iteration, model, src, dst, outputDir, progress, ct);

    /// <param name="model">Named <paramref name="name"/> in the report, at <paramref name="iteration"/> (a network that never had a checkpoint: tests, benchmarks).</param>
    public async Task<EvaluationReport> RunAsync(string name, long iteration, SwapModelRunner model, FaceSet src, string dst, string outputDir, IProgress<EvaluateProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(outputDir);
        string workspace = name;
        float[] srcIdentity = MeanDescriptor(src);
        var reconstruction = new List<ReconstructionMetrics> { Reconstruct(model, src, FaceSide.Src) };
        progress?.Report(new EvaluateProgress("reconstruction", 0.2));

        if (File.Exists(Path.Combine(dst, FaceSetIndex.FileName)))
        {
            FaceSet dstSet = FaceSet.Open(dst);
            reconstruction.Add(Reconstruct(model, dstSet, FaceSide.Dst));
            (IdentityMetrics identity, List<FrameMetrics> faces) = SwapFaces(model, dstSet, srcIdentity);
            return Report(workspace, src.Directory, dst, iteration, faces, 0, reconstruction, identity, null, null);
        }

        string merged = Path.Combine(outputDir, "merged.mp4");
        MergeSettings settings = merge ?? new MergeSettings();
        using var session = new FrameMerger(finder, new FaceComposer(model, settings, color), settings, VideoProbe.Probe(dst).FrameRate);
        var merger = new Merger(session, log);
        await merger.RunAsync(dst, new MergeOutputs(merged), new Inline<MergeProgress>(p => progress?.Report(new EvaluateProgress("merge", 0.2 + (0.4 * p.Frame / Math.Max(1, p.TotalFrames))))), ct).ConfigureAwait(false);
        VideoComparison video = await CompareAsync(dst, merged, srcIdentity, model, progress, ct).ConfigureAwait(false);
        reconstruction.Add(video.DstReconstruction);
        return Report(workspace, src.Directory, Path.GetFullPath(dst), iteration, video.Frames, video.Missing, reconstruction, video.Identity, video.Fidelity, video.Temporal) with { Merged = merged };
    }

    /// <summary>
    /// Judges a merge already made (<paramref name="merged"/>, frame for frame the same length as <paramref name="dst"/>),
    /// as <c>dflc demo</c> does with its own result instead of merging a second time.
    /// </summary>
    public async Task<EvaluationReport> RunOnMergedAsync(string workspace, SwapModelRunner model, FaceSet src, string dst, string merged, IProgress<EvaluateProgress>? progress, CancellationToken ct)
    {
        long iteration = Checkpoint.Find(workspace).Header.Iteration;
        float[] srcIdentity = MeanDescriptor(src);
        var reconstruction = new List<ReconstructionMetrics> { Reconstruct(model, src, FaceSide.Src) };
        progress?.Report(new EvaluateProgress("reconstruction", 0.2));
        VideoComparison video = await CompareAsync(dst, merged, srcIdentity, model, progress, ct).ConfigureAwait(false);
        reconstruction.Add(video.DstReconstruction);
        return Report(workspace, src.Directory, Path.GetFullPath(dst), iteration, video.Frames, video.Missing, reconstruction, video.Identity, video.Fidelity, video.Temporal) with { Merged = Path.GetFullPath(merged) };
    }

    private EvaluationReport Report(
        string workspace, string src, string dst, long iteration, List<FrameMetrics> frames, int missing, List<ReconstructionMetrics> reconstruction,
        IdentityMetrics identity, FidelityMetrics? fidelity, TemporalMetricsReport? temporal)
    {
        (QualityVerdict verdict, QualityFigures figures) = QualityVerdict.From(frames, embedder.SamePersonThreshold);
        log.LogInformation("Verdict: {Verdict}", verdict);
        return new EvaluationReport(verdict, figures, workspace, src, dst, iteration, frames.Count, missing, reconstruction, identity, fidelity, temporal, frames,
            WorstFrames.Of(frames, verdict.Thresholds.MinSharpness));
    }

    private float[] MeanDescriptor(FaceSet set) => MeanDescriptor(embedder, set);

    /// <summary>The src person's identity: the mean descriptor of up to 32 faces spread over the faceset.</summary>
    internal static float[] MeanDescriptor(IFaceEmbedder embedder, FaceSet set)
    {
        var sum = new double[embedder.Dimensions];
        int n = 0;
        foreach (FaceSetEntry entry in Spread(set.Faces, 32))
        {
            AlignedFace face = AlignedFaceFile.Read(set.PathOf(entry));
            float[] d = embedder.Embed(face.Image, AlignedFaceMetadata.Unpack(face.Metadata.Landmarks68));
            for (int i = 0; i < d.Length; i++)
            {
                sum[i] += d[i];
            }

            n++;
        }

        if (n == 0)
        {
            throw new UserErrorException($"{set.Directory} has no faces to take the src identity from.");
        }

        return sum.Select(v => (float)(v / n)).ToArray();
    }

    private static ReconstructionMetrics Reconstruct(SwapModelRunner model, FaceSet set, FaceSide side)
    {
        (IReadOnlyList<FaceSetEntry> faces, bool heldOut) = TestFaces(set);
        double ssim = 0, psnr = 0;
        foreach (FaceSetEntry entry in faces)
        {
            using FaceSample sample = FaceSample.Load(set.PathOf(entry), model.Options.FaceType, model.Options.Resolution);
            using Mat predicted = Predict(model, sample.Image, side == FaceSide.Src ? Pass.Src : Pass.Dst);
            ssim += ImageMetrics.Ssim(sample.Image, predicted);
            psnr += ImageMetrics.Psnr(sample.Image, predicted);
        }

        int n = Math.Max(1, faces.Count);
        return new ReconstructionMetrics(side == FaceSide.Src ? "src" : "dst", faces.Count, heldOut, ssim / n, psnr / n);
    }

    private (IdentityMetrics, List<FrameMetrics>) SwapFaces(SwapModelRunner model, FaceSet dst, float[] srcIdentity)
    {
        var rows = new List<FrameMetrics>();
        double toSrc = 0, toDst = 0, originalToSrc = 0;
        int closer = 0;
        (IReadOnlyList<FaceSetEntry> faces, _) = TestFaces(dst);
        foreach (FaceSetEntry entry in faces)
        {
            AlignedFace face = AlignedFaceFile.Read(dst.PathOf(entry));
            using FaceSample sample = FaceSample.Load(dst.PathOf(entry), model.Options.FaceType, model.Options.Resolution);
            PointF[] crop68 = FaceSample.ModelLandmarks(face.Metadata, model.Options.FaceType, model.Options.Resolution);
            using Mat swapped = Predict(model, sample.Image, Pass.Swap);
            float[] original = embedder.Embed(ToFrame(sample.Image), crop68), result = embedder.Embed(ToFrame(swapped), crop68);
            double s = FaceDescriptor.Distance(result, srcIdentity), d = FaceDescriptor.Distance(result, original), o = FaceDescriptor.Distance(original, srcIdentity);
            toSrc += s;
            toDst += d;
            originalToSrc += o;
            closer += s < d ? 1 : 0;
            (FaceValidity check, double? sharpness) = CropQuality.Measure(finder, sample.Image, swapped, crop68);
            rows.Add(new FrameMetrics(entry.FrameIndex, s, d, check.LandmarkError, null, null, o, check, sharpness));
        }

        int n = Math.Max(1, rows.Count);
        return (new IdentityMetrics(toSrc / n, toDst / n, originalToSrc / n, embedder.SamePersonThreshold, (double)closer / n), rows);
    }

    private static (double Ssim, double Psnr) ReconstructFromFrame(SwapModelRunner model, ImageFrame frame, IReadOnlyList<PointF> points68)
    {
        int res = model.Options.Resolution;
        using Mat view = frame.AsMat();
        using Mat map = FaceWarper.ToMat(FaceAligner.ImageToFace(points68, model.Options.FaceType, res));
        using var crop8 = new Mat();
        Cv2.WarpAffine(view, crop8, map, new Size(res, res), InterpolationFlags.Area, BorderTypes.Replicate);
        using var crop = new Mat();
        crop8.ConvertTo(crop, MatType.CV_32FC3, 1.0 / 255);
        using Mat predicted = Predict(model, crop, Pass.Dst);
        return (ImageMetrics.Ssim(crop, predicted), ImageMetrics.Psnr(crop, predicted));
    }

    private enum Pass
    {
        Src,
        Dst,
        Swap,
    }

    /// <summary>One face crop (CV_32FC3, [0, 1]) through the network.</summary>
    private static Mat Predict(SwapModelRunner model, Mat crop, Pass pass)
    {
        int r = model.Options.Resolution;
        crop.GetArray(out Vec3f[] px);
        float[] flat = new float[px.Length * 3];
        System.Runtime.InteropServices.MemoryMarshal.Cast<Vec3f, float>(px.AsSpan()).CopyTo(flat);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(flat, [1, r, r, 3]).permute(0, 3, 1, 2).contiguous();
        Tensor image = pass switch
        {
            Pass.Src => model.Network.Reconstruct(input, FaceSide.Src).Image,
            Pass.Dst => model.Network.Reconstruct(input, FaceSide.Dst).Image,
            _ => model.Network.Swap(input).Image,
        };
        float[] output = image.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        return Mat.FromPixelData(r, r, MatType.CV_32FC3, output).Clone();
    }

    private static double FaceBrightness(ImageFrame frame, IReadOnlyList<PointF> points68)
    {
        using Mat view = frame.AsMat();
        using var gray = new Mat();
        Cv2.CvtColor(view, gray, ColorConversionCodes.BGR2GRAY);
        using var mask = new Mat(gray.Size(), MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillConvexPoly(mask, Cv2.ConvexHull(points68.Select(p => new Point((int)p.X, (int)p.Y))), Scalar.All(255));
        return Cv2.Mean(gray, mask).Val0;
    }

    private static ImageFrame ToFrame(Mat crop)
    {
        using var eight = new Mat();
        crop.ConvertTo(eight, MatType.CV_8UC3, 255);
        eight.GetArray(out Vec3b[] px);
        return new ImageFrame(eight.Width, eight.Height, System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).ToArray());
    }

    private static (IReadOnlyList<FaceSetEntry> Faces, bool HeldOut) TestFaces(FaceSet set)
    {
        FaceSetSplit? split = FaceSetSplit.Load(set.Directory);
        if (split is not null && split.Test.Count > 0)
        {
            var test = split.Test.ToHashSet(StringComparer.Ordinal);
            return (Spread(set.Faces.Where(f => test.Contains(f.File)).ToList(), MaxFaces), true);
        }

        return (Spread(set.Faces, MaxFaces), false);
    }

    /// <summary>At most n entries, evenly spread over the list (so a long clip is sampled end to end).</summary>
    private static IReadOnlyList<FaceSetEntry> Spread(IReadOnlyList<FaceSetEntry> faces, int n) =>
        faces.Count <= n ? faces : Enumerable.Range(0, n).Select(i => faces[(int)((long)i * faces.Count / n)]).ToList();

    private static PointF Centre(IReadOnlyList<PointF> p) => new(p.Average(q => q.X), p.Average(q => q.Y));

    private sealed class Inline<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
