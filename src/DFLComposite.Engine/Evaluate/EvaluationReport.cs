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
public sealed record FrameMetrics(long Frame, double SrcDistance, double DstDistance, double? LandmarkError, double? YawDifference, double? PitchDifference);

/// <summary>What <c>dflc evaluate</c> writes to report.json.</summary>
public sealed record EvaluationReport(
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
    IReadOnlyList<long> WorstFrames);
