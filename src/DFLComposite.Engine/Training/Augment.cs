using OpenCvSharp;

namespace DFLComposite.Engine.Training;

/// <summary>
/// DeepFaceLab-style sample augmentation: a random similarity transform (rotation ±10°, scale ±5%, shift ±5%),
/// an optional flip, the random warp (a coarse grid of random offsets, smoothly interpolated, applied to the input
/// only, so the model learns to undo it), and a colour jitter applied to input and target alike.
/// </summary>
internal static class Augment
{
    public sealed record Params(double Angle, double Scale, double Tx, double Ty, bool Flip, Mat? WarpX, Mat? WarpY, double Brightness, double Contrast, double Saturation);

    public static Params Draw(Random rng, int resolution, bool flip, bool warp)
    {
        Mat? wx = null, wy = null;
        if (warp)
        {
            // DFL: grid of 5 cells, offsets ~ N(0, 0.24 * cell) at the inner nodes, cubic-upsampled to the image.
            int cells = 5;
            double cell = resolution / (double)(cells - 1);
            using var gx = new Mat(cells, cells, MatType.CV_32FC1);
            using var gy = new Mat(cells, cells, MatType.CV_32FC1);
            for (int y = 0; y < cells; y++)
            {
                for (int x = 0; x < cells; x++)
                {
                    bool edge = x == 0 || y == 0 || x == cells - 1 || y == cells - 1;
                    gx.Set(y, x, (float)((x * cell) + (edge ? 0 : Gauss(rng) * 0.24 * cell / 2)));
                    gy.Set(y, x, (float)((y * cell) + (edge ? 0 : Gauss(rng) * 0.24 * cell / 2)));
                }
            }

            wx = new Mat();
            wy = new Mat();
            Cv2.Resize(gx, wx, new Size(resolution, resolution), interpolation: InterpolationFlags.Cubic);
            Cv2.Resize(gy, wy, new Size(resolution, resolution), interpolation: InterpolationFlags.Cubic);
        }

        return new Params(
            Angle: (rng.NextDouble() * 20) - 10,
            Scale: 1 + ((rng.NextDouble() * 0.1) - 0.05),
            Tx: ((rng.NextDouble() * 0.1) - 0.05) * resolution,
            Ty: ((rng.NextDouble() * 0.1) - 0.05) * resolution,
            Flip: flip && rng.Next(2) == 1,
            WarpX: wx,
            WarpY: wy,
            Brightness: (rng.NextDouble() * 0.1) - 0.05,
            Contrast: 1 + ((rng.NextDouble() * 0.2) - 0.1),
            Saturation: 1 + ((rng.NextDouble() * 0.2) - 0.1));
    }

    /// <summary>The target (transformed, not warped) and the input (transformed and warped) of an image or mask.</summary>
    public static (Mat Target, Mat Input) Apply(Mat source, Params p, bool colour)
    {
        int res = source.Width;
        using Mat m = Cv2.GetRotationMatrix2D(new Point2f(res / 2f, res / 2f), p.Angle, p.Scale);
        m.Set(0, 2, m.At<double>(0, 2) + p.Tx);
        m.Set(1, 2, m.At<double>(1, 2) + p.Ty);
        var target = new Mat();
        Cv2.WarpAffine(source, target, m, source.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        if (p.Flip)
        {
            Cv2.Flip(target, target, FlipMode.Y);
        }

        if (colour && target.Channels() == 3)
        {
            Jitter(target, p);
        }

        var input = new Mat();
        if (p.WarpX is not null && p.WarpY is not null)
        {
            Cv2.Remap(target, input, p.WarpX, p.WarpY, InterpolationFlags.Linear, BorderTypes.Replicate);
        }
        else
        {
            target.CopyTo(input);
        }

        return (target, input);
    }

    private static void Jitter(Mat bgr, Params p)
    {
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        using var gray3 = new Mat();
        Cv2.CvtColor(gray, gray3, ColorConversionCodes.GRAY2BGR);
        // saturation: blend with grey; contrast around 0.5; brightness offset
        Cv2.AddWeighted(bgr, p.Saturation, gray3, 1 - p.Saturation, 0, bgr);
        bgr.ConvertTo(bgr, MatType.CV_32FC3, p.Contrast, (0.5 * (1 - p.Contrast)) + p.Brightness);
        Cv2.Min(bgr, 1.0, bgr);
        Cv2.Max(bgr, 0.0, bgr);
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
