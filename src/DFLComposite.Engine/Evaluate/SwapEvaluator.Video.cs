using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Evaluate;

/// <summary>The dst-video half of <see cref="SwapEvaluator"/>: the merged video against the original, frame by frame.</summary>
public sealed partial class SwapEvaluator
{
    private sealed record VideoComparison(List<FrameMetrics> Frames, int Missing, IdentityMetrics Identity, FidelityMetrics? Fidelity, TemporalMetricsReport? Temporal, ReconstructionMetrics DstReconstruction);

    /// <summary>
    /// Every frame with a dst face gets a row: the face check of the swapped face (<see cref="FaceValidity"/>), its
    /// sharpness beside the dst's, and identity distances. A swapped face the check cannot find is still embedded,
    /// cut at the dst's landmarks, so its identity is on record — but verification rates count valid faces only.
    /// Pose, landmark fidelity and temporal figures need the swapped face's own landmarks, so they skip such frames.
    /// </summary>
    private async Task<VideoComparison> CompareAsync(string original, string merged, float[] srcIdentity, SwapModelRunner model, IProgress<EvaluateProgress>? progress, CancellationToken ct)
    {
        var rows = new List<FrameMetrics>();
        var tracks = new FaceTrackRuns();
        double ssim = 0, psnr = 0;
        int missing = 0;
        long total = VideoProbe.Probe(original).FrameCount;
        await using var a = VideoReader.ReadFrames(original, cancellationToken: ct).GetAsyncEnumerator(ct);
        await using var b = VideoReader.ReadFrames(merged, cancellationToken: ct).GetAsyncEnumerator(ct);
        while (await a.MoveNextAsync().ConfigureAwait(false) && await b.MoveNextAsync().ConfigureAwait(false))
        {
            (long index, ImageFrame before) = a.Current;
            ImageFrame after = b.Current.Frame;
            var dstFace = tracks.Pick(index, finder.Find(before));
            if (dstFace.Landmarks is null)
            {
                continue;
            }

            IReadOnlyList<PointF> dst68 = dstFace.Landmarks.Points68;
            (FaceValidity check, IReadOnlyList<PointF>? swap68) = FaceValidity.Check(finder, after, dst68);
            float[] swappedId = embedder.Embed(after, swap68 ?? dst68), originalId = embedder.Embed(before, dst68);
            double s = FaceDescriptor.Distance(swappedId, srcIdentity), d = FaceDescriptor.Distance(swappedId, originalId);
            double o = FaceDescriptor.Distance(originalId, srcIdentity);
            double? sharpness = FaceSharpness.Ratio(before, after, dst68, model.Options.FaceType, model.Options.Resolution);
            if (swap68 is null)
            {
                missing++;
                rows.Add(new FrameMetrics(index, s, d, null, null, null, o, check, sharpness));
            }
            else
            {
                var poseA = HeadPose.Estimate(dst68, before.Width, before.Height);
                var poseB = HeadPose.Estimate(swap68, after.Width, after.Height);
                rows.Add(new FrameMetrics(index, s, d, check.LandmarkError, Math.Abs(poseA.Yaw - poseB.Yaw), Math.Abs(poseA.Pitch - poseB.Pitch), o, check, sharpness));
                tracks.Add(index, dst68, swap68, FaceBrightness(before, dst68), FaceBrightness(after, dst68));
            }

            (double fs, double fp) = ReconstructFromFrame(model, before, dst68);
            ssim += fs;
            psnr += fp;
            progress?.Report(new EvaluateProgress("compare", 0.6 + (0.4 * index / Math.Max(1, total))));
        }

        if (rows.Count == 0)
        {
            throw new NoFaceException($"No frame of {original} has a face to evaluate.");
        }

        int n = rows.Count;
        var identity = new IdentityMetrics(rows.Average(r => r.SrcDistance), rows.Average(r => r.DstDistance), rows.Average(r => r.OriginalToSrc!.Value),
            embedder.SamePersonThreshold, rows.Count(r => r.SrcDistance < r.DstDistance) / (double)n);
        var found = rows.Where(r => r.LandmarkError is not null).ToList();
        FidelityMetrics? fidelity = found.Count == 0 ? null
            : new FidelityMetrics(found.Average(r => r.LandmarkError!.Value), found.Average(r => r.YawDifference!.Value), found.Average(r => r.PitchDifference!.Value));
        // jitter and flicker follow the swapped face's own mesh; with none found there is nothing to measure (not zero)
        TemporalMetricsReport? temporal = found.Count == 0 ? null : tracks.Measure();
        log.LogInformation("Evaluated {Frames} frames of {Video}; {Missing} had no swapped face the extractor would take", n, original, missing);
        return new VideoComparison(rows, missing, identity, fidelity, temporal, new ReconstructionMetrics("dst", n, false, ssim / n, psnr / n));
    }
}
