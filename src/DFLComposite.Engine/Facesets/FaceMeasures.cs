using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// Image measures of an aligned face used by sort, dedupe and final selection, each computed inside the face
/// (the landmark hull), so background does not count.
/// </summary>
public static class FaceMeasures
{
    /// <summary>Sharpness: variance of the Laplacian inside the face. Higher is sharper.</summary>
    public static double Sharpness(ImageFrame face, AlignedFaceMetadata m)
    {
        using Mat gray = Gray(face);
        using Mat mask = HullMask(m);
        using var lap = new Mat();
        Cv2.Laplacian(gray, lap, MatType.CV_64F);
        Cv2.MeanStdDev(lap, out _, out Scalar std, mask);
        return std.Val0 * std.Val0;
    }

    /// <summary>
    /// Motion blur: how one-directional the image gradients are (1 - smallest/largest eigenvalue of the
    /// structure tensor). A face smeared by motion has strong gradients across one direction only. Lower is better.
    /// </summary>
    public static double MotionBlur(ImageFrame face, AlignedFaceMetadata m)
    {
        using Mat gray = Gray(face);
        using Mat mask = HullMask(m);
        using var gx = new Mat();
        using var gy = new Mat();
        Cv2.Sobel(gray, gx, MatType.CV_64F, 1, 0);
        Cv2.Sobel(gray, gy, MatType.CV_64F, 0, 1);
        // products as Mats: an expression handed straight to Mean can be freed by its finalizer mid-call
        using Mat gxx = gx.Mul(gx), gyy = gy.Mul(gy), gxy = gx.Mul(gy);
        double xx = Cv2.Mean(gxx, mask).Val0, yy = Cv2.Mean(gyy, mask).Val0, xy = Cv2.Mean(gxy, mask).Val0;
        double tr = xx + yy, det = (xx * yy) - (xy * xy);
        double disc = Math.Sqrt(Math.Max(0, (tr * tr / 4) - det));
        double l1 = (tr / 2) + disc, l2 = (tr / 2) - disc;
        return l1 <= 0 ? 1 : 1 - (l2 / l1);
    }

    /// <summary>Mean brightness (V of HSV, 0-255) and circular mean hue (0-180) inside the face.</summary>
    public static (double Brightness, double Hue) BrightnessHue(ImageFrame face, AlignedFaceMetadata m)
    {
        using Mat bgr = face.AsMat();
        using var hsv = new Mat();
        Cv2.CvtColor(bgr, hsv, ColorConversionCodes.BGR2HSV);
        using Mat mask = HullMask(m);
        double brightness = Cv2.Mean(hsv, mask).Val2;
        // circular mean of hue (OpenCV hue is 0..180 for 8-bit)
        double sx = 0, sy = 0;
        hsv.GetArray(out Vec3b[] pixels);
        mask.GetArray(out byte[] inside);
        for (int i = 0; i < pixels.Length; i += 3)
        {
            if (inside[i] != 0)
            {
                double a = pixels[i].Item0 * Math.PI / 90;
                sx += Math.Cos(a);
                sy += Math.Sin(a);
            }
        }

        double hue = Math.Atan2(sy, sx) * 90 / Math.PI;
        return (brightness, hue < 0 ? hue + 180 : hue);
    }

    /// <summary>A normalised HSV histogram (16 hue x 8 saturation bins) of the face, for similarity.</summary>
    public static float[] Histogram(ImageFrame face, AlignedFaceMetadata m)
    {
        using Mat bgr = face.AsMat();
        using var hsv = new Mat();
        Cv2.CvtColor(bgr, hsv, ColorConversionCodes.BGR2HSV);
        using Mat mask = HullMask(m);
        using var hist = new Mat();
        Cv2.CalcHist([hsv], [0, 1], mask, hist, 2, [16, 8], [new Rangef(0, 180), new Rangef(0, 256)]);
        Cv2.Normalize(hist, hist, 1, 0, NormTypes.L1);
        hist.GetArray(out float[] values);
        return values;
    }

    /// <summary>A 64-bit difference hash of the face (9x8 grey, left-right brightness steps), for duplicates.</summary>
    public static ulong DHash(ImageFrame face)
    {
        using Mat gray = Gray(face);
        using var small = new Mat();
        Cv2.Resize(gray, small, new Size(9, 8), interpolation: InterpolationFlags.Area);
        small.GetArray(out byte[] px);
        ulong hash = 0;
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                hash = (hash << 1) | (px[(y * 9) + x] < px[(y * 9) + x + 1] ? 1UL : 0UL);
            }
        }

        return hash;
    }

    /// <summary>The convex hull of the aligned 68 landmarks as an 8-bit mask (255 inside).</summary>
    public static Mat HullMask(AlignedFaceMetadata m)
    {
        var mask = new Mat(m.Size, m.Size, MatType.CV_8UC1, Scalar.All(0));
        Point[] pts = m.Landmarks68.Select(p => new Point((int)Math.Round(p[0]), (int)Math.Round(p[1]))).ToArray();
        Point[] hull = Cv2.ConvexHull(pts);
        Cv2.FillConvexPoly(mask, hull, Scalar.All(255));
        return mask;
    }

    private static Mat Gray(ImageFrame face)
    {
        using Mat bgr = face.AsMat();
        var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        return gray;
    }
}
