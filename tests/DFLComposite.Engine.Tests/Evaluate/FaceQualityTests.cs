using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Evaluate;

/// <summary>
/// The face check and the sharpness ratio on real photos whose face is left alone, painted over with a flat colour or
/// replaced by a Gaussian-blurred copy of itself — what an undertrained model's blob looks like to the evaluator.
/// </summary>
public sealed class FaceQualityTests(ITestOutputHelper output)
{
    // the tiny test model's face type and resolution: the evaluator measures at the model's own
    private const int Resolution = 64;
    private static readonly FaceFinder Finder = Extraction.Finder(new ExtractSettings());

    [SkippableTheory]
    [InlineData("images/obama.jpg")]
    [InlineData("images/obama-480p.jpg")]
    [InlineData("images/identities/biden/biden2.jpg")]
    public void An_untouched_face_is_valid_and_as_sharp_as_itself_while_a_flat_or_blurred_face_fails(string photo)
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media(photo));
        FaceLandmarks dst = Finder.Find(frame)[0].Landmarks;

        (FaceValidity same, _) = FaceValidity.Check(Finder, frame, dst.Points68);
        double? sameSharpness = FaceSharpness.Ratio(frame, frame, dst.Points68, FaceType.Full, Resolution);
        Assert.True(same.Valid, $"untouched face: {same}");
        Assert.InRange(same.LandmarkError!.Value, 0, 0.05);
        Assert.Equal(1.0, sameSharpness!.Value, 6);

        foreach ((string name, ImageFrame changed) in new[] { ("flat", Flat(frame, dst)), ("blur 8", Blurred(frame, dst, 8)) })
        {
            (FaceValidity check, _) = FaceValidity.Check(Finder, changed, dst.Points68);
            double sharpness = FaceSharpness.Ratio(frame, changed, dst.Points68, FaceType.Full, Resolution)!.Value;
            output.WriteLine($"{photo} {name}: {check.Failure ?? "valid"} (detection {check.DetectionScore:F2}, landmarks {check.LandmarkError:F3}), sharpness {sharpness:F3}");
            Assert.True(!check.Valid || sharpness < 0.2, $"{name}: {check}, sharpness {sharpness:F3}");
            Assert.InRange(sharpness, 0, 0.2);
        }
    }

    [SkippableFact]
    public void A_swapped_square_is_checked_on_a_canvas_the_dst_square_passes_and_a_flat_one_fails()
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media("images/obama.jpg"));
        FaceLandmarks dst = Finder.Find(frame)[0].Landmarks;
        Affine2D toFace = Align.FaceAligner.ImageToFace(dst.Points68, FaceType.Full, Resolution);
        using Mat square = FaceSharpness.Cut(frame, toFace, Resolution);
        PointF[] square68 = toFace.Apply(dst.Points68);

        (FaceValidity same, double? sameSharpness) = CropQuality.Measure(Finder, square, square, square68);
        Assert.True(same.Valid, $"the dst square itself: {same}");
        Assert.Equal(1.0, sameSharpness!.Value, 6);

        using var flat = new Mat(square.Size(), square.Type(), Cv2.Mean(square));
        (FaceValidity check, double? sharpness) = CropQuality.Measure(Finder, square, flat, square68);
        output.WriteLine($"flat square: {check.Failure ?? "valid"}, sharpness {sharpness:F3}");
        Assert.False(check.Valid);
        Assert.InRange(sharpness!.Value, 0, 0.01);
    }

    /// <summary>The face's 68-point hull (grown by a tenth of the face) painted with its mean colour.</summary>
    private static ImageFrame Flat(ImageFrame frame, FaceLandmarks face)
    {
        using Mat view = frame.AsMat();
        using Mat copy = view.Clone();
        using Mat mask = Hull(frame, face);
        Scalar mean = Cv2.Mean(view, mask);
        copy.SetTo(mean, mask);
        return copy.ToFrame();
    }

    /// <summary>The face's hull replaced by a Gaussian-blurred copy of the frame (sigma in frame pixels).</summary>
    private static ImageFrame Blurred(ImageFrame frame, FaceLandmarks face, double sigma)
    {
        using Mat view = frame.AsMat();
        using Mat copy = view.Clone();
        using var blurred = new Mat();
        Cv2.GaussianBlur(view, blurred, new Size(0, 0), sigma);
        using Mat mask = Hull(frame, face);
        blurred.CopyTo(copy, mask);
        return copy.ToFrame();
    }

    private static Mat Hull(ImageFrame frame, FaceLandmarks face)
    {
        PointF c = new(face.Points68.Average(p => p.X), face.Points68.Average(p => p.Y));
        var grown = face.Points68.Select(p => c + ((p - c) * 1.1f)).Select(p => new Point((int)p.X, (int)p.Y));
        var mask = new Mat(frame.Height, frame.Width, MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillConvexPoly(mask, Cv2.ConvexHull(grown), Scalar.All(255));
        return mask;
    }
}
