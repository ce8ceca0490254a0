using DFLComposite.Engine.Align;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using Size = OpenCvSharp.Size;

namespace DFLComposite.Engine.Evaluate;

/// <summary>Why a swapped face failed the face check (null when it passed).</summary>
public static class FaceFailure
{
    /// <summary>The extract stage's detector finds no face in the swapped region.</summary>
    public const string NotDetected = "not detected";

    /// <summary>A detection, but the face mesh's face-presence score is below its threshold (the mesh sees no face).</summary>
    public const string NoMesh = "no face mesh";

    /// <summary>The mesh's 68 points are further from the dst's than <see cref="FaceValidity.MaxLandmarkError"/>.</summary>
    public const string LandmarksOff = "landmarks off";
}

/// <summary>
/// The face check of one swapped face: the swapped region alone goes through the extract stage's own detector and
/// face mesh, as if it were a new photo. A swap the extractor would not take as a face (not detected, mesh presence
/// below its 0.9 threshold) or whose 68 points do not fall where the dst's did is not a usable swap, whatever its
/// identity distance says.
/// <para>Only the swapped region is shown to them — the face square with everything outside the dst's 68-point hull
/// (grown by <see cref="HullGrowth"/>, so the merge's seam is in view) painted mid-grey. Measured on the test suite's
/// 30-iteration model: with the whole frame the detector and mesh found a "face" on every frame, from the hair, ears
/// and jaw line the merge leaves untouched around a mosaic-textured oval.</para>
/// </summary>
/// <param name="DetectionScore">The detector's score of the matched detection, or null when none matched.</param>
/// <param name="LandmarkError">Mean 68-point distance to the dst's points over the dst's eye distance, or null without a mesh.</param>
/// <param name="Failure">One of <see cref="FaceFailure"/>'s reasons, or null for a valid face.</param>
public sealed record FaceValidity(double? DetectionScore, double? LandmarkError, string? Failure)
{
    /// <summary>
    /// Largest mean 68-point error, in dst eye distances, for a valid swap. A swap keeps the dst's pose and
    /// expression, so its points land near the dst's: re-meshing the same face gives a few hundredths, and a different
    /// person's face shape moves the jaw and brows by a few more. A quarter of the eye distance on average over all 68
    /// points is a face in another place or shape altogether (or the mesh fitting a blob).
    /// </summary>
    public const double MaxLandmarkError = 0.25;

    /// <summary>The hull around the dst's 68 points is grown by this factor about their centre before the rest is greyed.</summary>
    public const float HullGrowth = 1.05f;

    /// <summary>
    /// Side the face square is shown at: the detector and mesh were made for faces of a few hundred pixels, and a
    /// 64-px model square is below what BlazeFace finds reliably.
    /// </summary>
    private const int Shown = 256;

    public bool Valid => Failure is null;

    /// <summary>
    /// Checks the swapped face where the dst face (<paramref name="dst68"/>, its 68 points in the original frame) was
    /// in <paramref name="merged"/>; also answers the swapped face's 68 points in frame coordinates when it has a mesh.
    /// </summary>
    public static (FaceValidity Check, IReadOnlyList<PointF>? Swapped68) Check(FaceFinder finder, ImageFrame merged, IReadOnlyList<PointF> dst68)
    {
        Affine2D toSquare = FaceAligner.ImageToFace(dst68, FaceType.Full, Shown);
        using Mat square = FaceSharpness.Cut(merged, toSquare, Shown);
        (FaceValidity check, IReadOnlyList<PointF>? square68) = CheckSquare(finder, square, toSquare.Apply(dst68));
        return (check, square68 is null ? null : toSquare.Invert().Apply(square68));
    }

    /// <summary>
    /// Checks a swapped face square (BGR, 8-bit or float [0, 1], any size) whose dst face had
    /// <paramref name="square68"/>; the swapped face's points come back in the square's coordinates.
    /// </summary>
    public static (FaceValidity Check, IReadOnlyList<PointF>? Swapped68) CheckSquare(FaceFinder finder, Mat square, IReadOnlyList<PointF> square68)
    {
        float k = (float)Shown / square.Width;
        const int offset = Shown / 2;
        PointF[] canvas68 = square68.Select(p => new PointF((p.X * k) + offset, (p.Y * k) + offset)).ToArray();
        ImageFrame canvas = Canvas(square, canvas68);
        var dst = new FaceLandmarks([], canvas68, 1);
        PointF centre = Centre(canvas68);
        DetectedFace? match = finder.Detect(canvas)
            .Select(d => (Face: d, Distance: (d.Box.Center - centre).Length))
            .Where(d => d.Distance <= dst.InterOcularDistance)
            .OrderBy(d => d.Distance)
            .Select(d => d.Face)
            .FirstOrDefault();
        if (match is null)
        {
            return (new FaceValidity(null, null, FaceFailure.NotDetected), null);
        }

        // the landmarker answers null when its face-presence score is below its threshold
        FaceLandmarks? mesh = finder.Landmarks(canvas, match);
        if (mesh is null)
        {
            return (new FaceValidity(match.Score, null, FaceFailure.NoMesh), null);
        }

        double error = LandmarkMetrics.Error(mesh.Points68, canvas68);
        var back = mesh.Points68.Select(p => new PointF((p.X - offset) / k, (p.Y - offset) / k)).ToArray();
        return (new FaceValidity(match.Score, error, error > MaxLandmarkError ? FaceFailure.LandmarksOff : null), back);
    }

    /// <summary>The square at <see cref="Shown"/> px, grey outside the grown hull, in the middle of a grey canvas twice that size.</summary>
    private static ImageFrame Canvas(Mat square, IReadOnlyList<PointF> canvas68)
    {
        using var eight = new Mat();
        square.ConvertTo(eight, MatType.CV_8UC3, square.Depth() == MatType.CV_8U ? 1.0 : 255.0);
        using var big = new Mat();
        Cv2.Resize(eight, big, new Size(Shown, Shown), 0, 0, square.Width < Shown ? InterpolationFlags.Cubic : InterpolationFlags.Area);
        using var canvas = new Mat(2 * Shown, 2 * Shown, MatType.CV_8UC3, Scalar.All(128));
        using (var roi = new Mat(canvas, new Rect(Shown / 2, Shown / 2, Shown, Shown)))
        {
            big.CopyTo(roi);
        }

        PointF c = Centre(canvas68);
        Point[] hull = Cv2.ConvexHull(canvas68.Select(p => c + ((p - c) * HullGrowth)).Select(p => new Point((int)MathF.Round(p.X), (int)MathF.Round(p.Y))));
        using var inside = new Mat(canvas.Size(), MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillConvexPoly(inside, hull, Scalar.All(255));
        using var outside = new Mat();
        Cv2.BitwiseNot(inside, outside);
        canvas.SetTo(Scalar.All(128), outside);
        return canvas.ToFrame();
    }

    private static PointF Centre(IReadOnlyList<PointF> p) => new(p.Average(q => q.X), p.Average(q => q.Y));
}
