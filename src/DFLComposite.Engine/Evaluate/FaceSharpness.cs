using DFLComposite.Engine.Align;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using Size = OpenCvSharp.Size;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// How much fine detail a swapped face has compared with the dst face it replaced: the variance of the Laplacian
/// (high-frequency energy) of the luminance inside the face, swapped over dst. Both faces are cut from their frames
/// with the same transform (the dst's landmarks), at the same resolution and under the same mask, so the ratio
/// compares like with like: the untouched dst scores 1, a smooth blob (an undertrained model's brown oval, a flat
/// colour, a heavy blur) scores near 0. Identity distances cannot see this: a blob can sit under the same-person
/// threshold because the descriptor of a featureless face is near everyone's.
/// </summary>
public static class FaceSharpness
{
    /// <summary>Below this dst energy (8-bit levels squared) the dst face itself has no detail to compare with.</summary>
    private const double MinDstEnergy = 1.0;

    /// <summary>
    /// Swapped / dst high-frequency energy of the face at <paramref name="dst68"/> in both frames, cut at
    /// <paramref name="type"/> and <paramref name="resolution"/> (evaluation uses the model's own: detail finer than
    /// the model's square is detail no model of that size could give back). Null when the dst face has no detail.
    /// </summary>
    public static double? Ratio(ImageFrame dst, ImageFrame swapped, IReadOnlyList<PointF> dst68, FaceType type, int resolution)
    {
        Affine2D toFace = FaceAligner.ImageToFace(dst68, type, resolution);
        using Mat a = Cut(dst, toFace, resolution), b = Cut(swapped, toFace, resolution);
        using Mat mask = FaceMask(toFace.Apply(dst68), resolution);
        return Ratio(a, b, mask);
    }

    /// <summary>Swapped / dst energy of two aligned squares (BGR, 8-bit or float [0, 1]) under one mask (8-bit, non-zero = face).</summary>
    public static double? Ratio(Mat dstSquare, Mat swappedSquare, Mat mask)
    {
        double reference = Energy(dstSquare, mask);
        return reference < MinDstEnergy ? null : Energy(swappedSquare, mask) / reference;
    }

    /// <summary>
    /// Variance of the 3x3 Laplacian of luminance (8-bit levels) over the mask's pixels. The Laplacian weighs a
    /// frequency by its square, so the figure is dominated by the finest detail the square holds.
    /// </summary>
    public static double Energy(Mat bgr, Mat mask)
    {
        using var gray = new Mat();
        using var levels = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        gray.ConvertTo(levels, MatType.CV_32FC1, bgr.Depth() == MatType.CV_8U ? 1.0 : 255.0);
        using var laplacian = new Mat();
        Cv2.Laplacian(levels, laplacian, MatType.CV_32F, ksize: 1);
        Cv2.MeanStdDev(laplacian, out _, out Scalar std, mask);
        return std.Val0 * std.Val0;
    }

    /// <summary>
    /// The face inside the 68-point hull, eroded by 1/16 of the square: the hull's rim is where a merge blends into
    /// the frame, and the seam or the background's edges there are not the face's own detail.
    /// </summary>
    public static Mat FaceMask(IReadOnlyList<PointF> square68, int resolution)
    {
        var mask = new Mat(resolution, resolution, MatType.CV_8UC1, Scalar.All(0));
        Point[] hull = Cv2.ConvexHull(square68.Select(p => new Point((int)MathF.Round(p.X), (int)MathF.Round(p.Y))));
        Cv2.FillConvexPoly(mask, hull, Scalar.All(255));
        int k = Math.Max(1, resolution / 16);
        using Mat kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size((2 * k) + 1, (2 * k) + 1));
        Cv2.Erode(mask, mask, kernel);
        return mask;
    }

    /// <summary>
    /// The aligned square of a frame. A face larger than the square is first shrunk by area averaging (a bilinear warp
    /// straight from the frame would alias fine detail into false high-frequency energy).
    /// </summary>
    public static Mat Cut(ImageFrame frame, Affine2D toFace, int resolution)
    {
        using Mat view = frame.AsMat();
        using var shrunk = new Mat();
        Mat from = view;
        Affine2D map = toFace;
        double scale = toFace.Scale;
        if (scale < 0.75)
        {
            int w = Math.Max(2, (int)Math.Round(view.Width * scale)), h = Math.Max(2, (int)Math.Round(view.Height * scale));
            Cv2.Resize(view, shrunk, new Size(w, h), 0, 0, InterpolationFlags.Area);
            from = shrunk;
            map = toFace.After(new Affine2D((double)view.Width / w, 0, 0, 0, (double)view.Height / h, 0));
        }

        using Mat m = FaceWarper.ToMat(map);
        var square = new Mat();
        Cv2.WarpAffine(from, square, m, new Size(resolution, resolution), InterpolationFlags.Linear, BorderTypes.Replicate);
        return square;
    }

    /// <summary>The median of a list (NaN when empty).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }
}
