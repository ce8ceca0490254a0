namespace DFLComposite.Engine.Evaluate;

/// <summary>Reconstruction quality of one side on faces (held out from training when the faceset has a split).</summary>
public sealed record ReconstructionMetrics(string Side, int Faces, bool HeldOut, double Ssim, double Psnr);

/// <summary>
/// Identity descriptor distances (Euclidean; below <see cref="Threshold"/> = same person): the swapped face to the src
/// person and to the dst person it replaced, and the original dst face to the src person as the baseline.
/// </summary>
public sealed record IdentityMetrics(double SwappedToSrc, double SwappedToDst, double OriginalToSrc, double Threshold, double FractionCloserToSrc);

/// <summary>Expression and pose kept from the dst: 68-point error (fraction of the eye distance), yaw/pitch differences in degrees.</summary>
public sealed record FidelityMetrics(double LandmarkError, double YawDifference, double PitchDifference);

/// <summary>Temporal stability of the swapped face beside the dst's own (jitter in eye distances, flicker in 8-bit levels).</summary>
public sealed record TemporalMetricsReport(double SwappedJitter, double DstJitter, double SwappedFlicker, double DstFlicker);

/// <summary>One evaluated frame (or face, for a faceset dst).</summary>
/// <param name="SrcDistance">Identity distance of the swapped face to the src person (cut at the swapped face's own landmarks when it was found, else at the dst's).</param>
/// <param name="DstDistance">Identity distance of the swapped face to the dst face it replaced.</param>
/// <param name="LandmarkError">68-point error of the swapped face vs the dst, when the swapped face was found.</param>
/// <param name="OriginalToSrc">Identity distance of the original dst face to the src person (the baseline).</param>
/// <param name="Validity">The face check of the swapped face (detector, face mesh, landmark fit).</param>
/// <param name="Sharpness">Swapped/dst high-frequency energy in the aligned face (null when the dst face has no detail).</param>
public sealed record FrameMetrics(
    long Frame, double SrcDistance, double DstDistance, double? LandmarkError, double? YawDifference, double? PitchDifference,
    double? OriginalToSrc, FaceValidity? Validity, double? Sharpness);

/// <summary>The worst frames by each kind of failure, worst first (thumbnails in the HTML page).</summary>
/// <param name="NotAFace">Frames whose swapped face failed the face check (not detected first, then by landmark error).</param>
/// <param name="Blurred">The least sharp frames.</param>
/// <param name="NotSrc">The valid frames least like the src person.</param>
public sealed record WorstFrames(IReadOnlyList<long> NotAFace, IReadOnlyList<long> Blurred, IReadOnlyList<long> NotSrc)
{
    private const int PerKind = 4;

    public IEnumerable<long> All => NotAFace.Concat(Blurred).Concat(NotSrc).Distinct();

    public static WorstFrames Of(IReadOnlyList<FrameMetrics> frames, double minSharpness) => new(
        frames.Where(f => f.Validity is { Valid: false })
            .OrderBy(f => f.Validity!.Failure == FaceFailure.NotDetected ? 0 : f.Validity!.Failure == FaceFailure.NoMesh ? 1 : 2)
            .ThenByDescending(f => f.Validity!.LandmarkError ?? 0).Take(PerKind).Select(f => f.Frame).ToList(),
        frames.Where(f => f.Sharpness < minSharpness).OrderBy(f => f.Sharpness).Take(PerKind).Select(f => f.Frame).ToList(),
        frames.Where(f => f.Validity?.Valid ?? true).OrderByDescending(f => f.SrcDistance).Take(PerKind).Select(f => f.Frame).ToList());
}

/// <summary>What <c>dflc evaluate</c> writes to report.json.</summary>
/// <remarks>The verdict comes first so it is the first thing in report.json.</remarks>
public sealed record EvaluationReport(
    QualityVerdict Verdict,
    QualityFigures Quality,
    string Model,
    string Src,
    string Dst,
    long Iteration,
    int FramesEvaluated,
    int FramesWithoutSwappedFace,
    IReadOnlyList<ReconstructionMetrics> Reconstruction,
    IdentityMetrics? Identity,
    FidelityMetrics? Fidelity,
    TemporalMetricsReport? Temporal,
    IReadOnlyList<FrameMetrics> Frames,
    WorstFrames Worst)
{
    /// <summary>The merged video compared with the dst (null for a dst faceset).</summary>
    public string? Merged { get; init; }
}
