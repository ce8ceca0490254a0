using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Tests.Evaluate;

/// <summary>The verdict's rules on constructed per-frame rows whose figures are known.</summary>
public sealed class QualityVerdictTests
{
    private const double Threshold = 0.6;
    private static readonly FaceValidity Valid = new(0.9, 0.05, null);
    private static readonly FaceValidity Missing = new(null, null, FaceFailure.NotDetected);

    // n frames: `valid` of them pass the face check, with the given sharpness and distances to src / to the dst face
    private static List<FrameMetrics> Frames(int n, int valid, double sharpness, double toSrc, double toDst, double originalToSrc = 0.9) =>
        Enumerable.Range(0, n).Select(i => new FrameMetrics(i, toSrc, toDst, null, null, null, originalToSrc, i < valid ? Valid : Missing, sharpness)).ToList();

    [Fact]
    public void A_blob_verified_as_src_is_still_not_a_face_when_the_face_check_fails()
    {
        // the 30-iteration model's case: every descriptor near the src mean, no frame found as a face
        (QualityVerdict v, QualityFigures f) = QualityVerdict.From(Frames(20, 0, 0.47, 0.5, 0.8), Threshold);
        Assert.Equal(QualityLevel.NotAFace, v.Level);
        Assert.Equal(0, f.ValidFraction);
        Assert.Equal(0, f.VerifiedAsSrc); // verification counts valid frames only
        Assert.Contains("found as a face", v.Reason, StringComparison.Ordinal);
        Assert.Equal(0.9, v.Thresholds.MinValidFraction);
    }

    [Fact]
    public void A_valid_but_blurred_swap_is_not_a_face_and_the_reason_is_sharpness()
    {
        (QualityVerdict v, QualityFigures f) = QualityVerdict.From(Frames(20, 20, 0.1, 0.5, 0.8), Threshold);
        Assert.Equal(QualityLevel.NotAFace, v.Level);
        Assert.Equal(0.1, f.MedianSharpness!.Value, 9);
        Assert.Contains("sharpness", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sharp_valid_face_still_the_dst_is_a_face_not_yet_src()
    {
        (QualityVerdict v, QualityFigures f) = QualityVerdict.From(Frames(20, 20, 0.9, 0.85, 0.3), Threshold);
        Assert.Equal(QualityLevel.Face, v.Level);
        Assert.Equal((0.0, 1.0), (f.VerifiedAsSrc, f.VerifiedAsDst));
        Assert.Contains("give src more faces", v.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_original_dst_already_verifies_as_src_the_verdict_says_identity_cannot_be_judged()
    {
        (QualityVerdict v, QualityFigures f) = QualityVerdict.From(Frames(20, 20, 0.9, 0.5, 0.5, originalToSrc: 0.4), Threshold);
        Assert.Equal(QualityLevel.Face, v.Level);
        Assert.Equal(1, f.OriginalVerifiedAsSrc);
        Assert.Contains("cannot be judged", v.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_swap_holds_on_the_share_of_frames_that_are_valid_sharp_src_and_not_dst()
    {
        // 18 of 20 valid; of those, all sharp, src and not dst -> holds on 90 %
        (QualityVerdict v, QualityFigures f) = QualityVerdict.From(Frames(20, 18, 0.8, 0.4, 0.9), Threshold);
        Assert.Equal(QualityLevel.Holds, v.Level);
        Assert.Equal(0.9, f.HoldsFraction, 9);
        Assert.Equal("swap holds on 90 % of frames", v.Summary);
        Assert.True(QualityLevel.Rank(QualityLevel.Holds) > QualityLevel.Rank(QualityLevel.Face));
    }

    [Fact]
    public void Until_quality_needs_validations()
    {
        var bad = new TrainSettings { UntilQuality = QualityLevel.Face, ValidateEvery = 0 };
        var error = Assert.Throws<JobValidationException>(bad.Validate);
        Assert.Contains(error.Errors, e => e.Path.EndsWith("untilQuality", StringComparison.Ordinal));
        new TrainSettings { UntilQuality = QualityLevel.Holds }.Validate();
    }
}
