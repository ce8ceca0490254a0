using System.Globalization;

namespace DFLComposite.Engine.Evaluate;

/// <summary>The levels a swap reaches, in order; <c>dflc train --until-quality</c> takes the last two by name.</summary>
public static class QualityLevel
{
    /// <summary>The swapped face is not (yet) found as a face, or is a blur: identity figures mean nothing yet.</summary>
    public const string NotAFace = "not-a-face";

    /// <summary>A sharp, valid face, but not verified as the src person on enough frames.</summary>
    public const string Face = "face";

    /// <summary>A valid, sharp face verified as src (and not as dst) on enough frames.</summary>
    public const string Holds = "holds";

    public static IReadOnlyList<string> All { get; } = [NotAFace, Face, Holds];

    /// <summary>0, 1, 2 in the order above; -1 for an unknown name.</summary>
    public static int Rank(string level) => All.ToList().IndexOf(level);
}

/// <summary>The thresholds a verdict is computed with, written into the report beside it.</summary>
/// <param name="MinValidFraction">Fraction of frames whose swapped face passes the face check.</param>
/// <param name="MinSharpness">Per frame: swapped/dst high-frequency energy for a frame to count as sharp; the median must reach it too.</param>
/// <param name="MaxLandmarkError">The face check's 68-point error limit, in dst eye distances.</param>
/// <param name="IdentityThreshold">The identity model's same-person distance.</param>
/// <param name="MinSrcVerified">Fraction of frames that must hold (valid, sharp, verified as src, not as dst) for <see cref="QualityLevel.Holds"/>.</param>
public sealed record QualityThresholds(double MinValidFraction, double MinSharpness, double MaxLandmarkError, double IdentityThreshold, double MinSrcVerified)
{
    public static QualityThresholds For(double identityThreshold) => new(0.9, 0.3, FaceValidity.MaxLandmarkError, identityThreshold, 0.5);
}

/// <summary>
/// The figures a verdict rests on. Fractions are of the frames with a dst face (<see cref="Frames"/>); the
/// verification rates are of the valid frames only, because the descriptor of a blob is near everyone's and a
/// "verified" blob verifies nothing.
/// </summary>
/// <param name="ValidFraction">Swapped face found by the detector, meshed, and its 68 points near the dst's.</param>
/// <param name="MedianSharpness">Median over frames of swapped/dst high-frequency energy (1 = as detailed as the dst); null when no dst face had detail to compare.</param>
/// <param name="SharpFraction">Frames at or above <see cref="QualityThresholds.MinSharpness"/>.</param>
/// <param name="VerifiedAsSrc">Valid frames whose swapped face is within the identity threshold of the src person.</param>
/// <param name="VerifiedAsDst">Valid frames whose swapped face is still within the threshold of the dst face it replaced.</param>
/// <param name="OriginalVerifiedAsSrc">Frames whose original dst face is already within the threshold of src (the baseline: high means the identity model cannot tell these two people apart).</param>
/// <param name="OriginalToSrc">Mean distance of the original dst face to src.</param>
/// <param name="HoldsFraction">Frames where the swap holds: valid, sharp, verified as src and not as dst.</param>
public sealed record QualityFigures(int Frames, double ValidFraction, double? MedianSharpness, double SharpFraction, double VerifiedAsSrc, double VerifiedAsDst, double OriginalVerifiedAsSrc, double? OriginalToSrc, double HoldsFraction);

/// <summary>The one-line answer at the top of a report: what the swap is, why, and what to do next.</summary>
public sealed record QualityVerdict(string Level, string Summary, string Reason, string Advice, QualityThresholds Thresholds)
{
    public override string ToString() => $"{Summary}: {Reason}. {Advice}";

    /// <summary>Computes the verdict from the per-frame measures.</summary>
    public static (QualityVerdict Verdict, QualityFigures Figures) From(IReadOnlyList<FrameMetrics> frames, double identityThreshold)
    {
        QualityThresholds t = QualityThresholds.For(Math.Round(identityThreshold, 4)); // 0.6f, not 0.6000000238
        QualityFigures f = Figures(frames, t);
        var c = CultureInfo.InvariantCulture;
        if (f.Frames == 0)
        {
            return (new QualityVerdict(QualityLevel.NotAFace, "nothing to judge", "no frame had a dst face", "check the dst input", t), f);
        }

        const string KeepTraining = "Keep training (more minutes or iterations) and evaluate again.";
        if (f.ValidFraction < t.MinValidFraction)
        {
            string why = string.Format(c, "only {0:0} % of swapped frames are found as a face (needs {1:0} %)", f.ValidFraction * 100, t.MinValidFraction * 100);
            return (new QualityVerdict(QualityLevel.NotAFace, "not yet a face", why, KeepTraining, t), f);
        }

        if (f.MedianSharpness < t.MinSharpness)
        {
            string why = string.Format(c, "median sharpness {0:0.00} of the dst's (needs {1:0.00}): the swap is a smooth blob", f.MedianSharpness, t.MinSharpness);
            return (new QualityVerdict(QualityLevel.NotAFace, "not yet a face", why, KeepTraining, t), f);
        }

        if (f.HoldsFraction < t.MinSrcVerified)
        {
            string why = string.Format(c, "{0:0} % of valid frames verify as src, {1:0} % still as dst (original dst as src: {2:0} %)", f.VerifiedAsSrc * 100, f.VerifiedAsDst * 100, f.OriginalVerifiedAsSrc * 100);
            string advice = f.OriginalVerifiedAsSrc >= 0.5
                ? "The identity model already takes the original dst for src on most frames, so identity cannot be judged on this pair."
                : "Keep training; if it stays here, give src more faces (more clips, more angles and expressions).";
            return (new QualityVerdict(QualityLevel.Face, "face, identity not yet src", why, advice, t), f);
        }

        string holds = string.Format(c, "swap holds on {0:0} % of frames", f.HoldsFraction * 100);
        string detail = string.Format(c, "{0:0} % valid, median sharpness {1:0.00}, {2:0} % verified as src, {3:0} % still as dst", f.ValidFraction * 100, f.MedianSharpness, f.VerifiedAsSrc * 100, f.VerifiedAsDst * 100);
        return (new QualityVerdict(QualityLevel.Holds, holds, detail, "Train on to raise the share of frames that hold, or merge.", t), f);
    }

    private static QualityFigures Figures(IReadOnlyList<FrameMetrics> frames, QualityThresholds t)
    {
        int n = frames.Count;
        if (n == 0)
        {
            return new QualityFigures(0, 0, null, 0, 0, 0, 0, null, 0);
        }

        // a frame without a sharpness (a dst face with no detail of its own) is not held against the swap
        bool Sharp(FrameMetrics m) => m.Sharpness is not { } s || s >= t.MinSharpness;
        bool Src(FrameMetrics m) => m.SrcDistance < t.IdentityThreshold;
        bool Dst(FrameMetrics m) => m.DstDistance < t.IdentityThreshold;
        var valid = frames.Where(m => m.Validity?.Valid ?? true).ToList();
        var sharpness = frames.Where(m => m.Sharpness is not null).Select(m => m.Sharpness!.Value).ToList();
        var original = frames.Where(m => m.OriginalToSrc is not null).Select(m => m.OriginalToSrc!.Value).ToList();
        double Of(int count, int total) => total == 0 ? 0 : (double)count / total;
        return new QualityFigures(
            n,
            Of(valid.Count, n),
            sharpness.Count == 0 ? null : FaceSharpness.Median(sharpness),
            Of(frames.Count(Sharp), n),
            Of(valid.Count(Src), valid.Count),
            Of(valid.Count(Dst), valid.Count),
            Of(original.Count(d => d < t.IdentityThreshold), original.Count),
            original.Count == 0 ? null : original.Average(),
            Of(valid.Count(m => Sharp(m) && Src(m) && !Dst(m)), n));
    }
}
