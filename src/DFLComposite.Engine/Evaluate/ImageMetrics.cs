using OpenCvSharp;

namespace DFLComposite.Engine.Evaluate;

/// <summary>Reconstruction quality of one image against its target.</summary>
public static class ImageMetrics
{
    /// <summary>PSNR is capped here (identical images would be infinite, which JSON cannot hold).</summary>
    public const double MaxPsnr = 100;

    /// <summary>
    /// Structural similarity (Wang et al. 2004) on luminance: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03,
    /// 8-bit range. 1 for identical images.
    /// </summary>
    /// <param name="a">BGR, 8-bit or float [0, 1].</param>
    public static double Ssim(Mat a, Mat b)
    {
        using Mat x = Luma(a), y = Luma(b);
        const double c1 = 6.5025, c2 = 58.5225; // (0.01 * 255)^2, (0.03 * 255)^2
        var window = new Size(11, 11);
        using var mx = new Mat();
        using var my = new Mat();
        Cv2.GaussianBlur(x, mx, window, 1.5);
        Cv2.GaussianBlur(y, my, window, 1.5);
        using Mat xx = Product(x, x), yy = Product(y, y), xy = Product(x, y);
        using var sxx = new Mat();
        using var syy = new Mat();
        using var sxy = new Mat();
        Cv2.GaussianBlur(xx, sxx, window, 1.5);
        Cv2.GaussianBlur(yy, syy, window, 1.5);
        Cv2.GaussianBlur(xy, sxy, window, 1.5);
        using Mat mx2 = Product(mx, mx), my2 = Product(my, my), mxy = Product(mx, my);
        using var vx = new Mat();
        using var vy = new Mat();
        using var cov = new Mat();
        Cv2.Subtract(sxx, mx2, vx);
        Cv2.Subtract(syy, my2, vy);
        Cv2.Subtract(sxy, mxy, cov);
        using Mat num1 = Affine(mxy, 2, c1), num2 = Affine(cov, 2, c2);
        using var means = new Mat();
        using var vars = new Mat();
        Cv2.Add(mx2, my2, means);
        Cv2.Add(vx, vy, vars);
        using Mat den1 = Affine(means, 1, c1), den2 = Affine(vars, 1, c2);
        using Mat num = Product(num1, num2), den = Product(den1, den2);
        using var map = new Mat();
        Cv2.Divide(num, den, map);
        return Cv2.Mean(map).Val0;
    }

    /// <summary>Peak signal-to-noise ratio in dB over all channels, 8-bit range, capped at <see cref="MaxPsnr"/>.</summary>
    public static double Psnr(Mat a, Mat b)
    {
        using Mat x = To8(a), y = To8(b);
        using var diff = new Mat();
        Cv2.Absdiff(x, y, diff);
        using var d32 = new Mat();
        diff.ConvertTo(d32, MatType.CV_32F);
        using Mat squared = Product(d32, d32);
        Scalar s = Cv2.Sum(squared);
        double mse = (s.Val0 + s.Val1 + s.Val2 + s.Val3) / (x.Total() * x.Channels());
        return mse <= 0 ? MaxPsnr : Math.Min(MaxPsnr, 10 * Math.Log10(255.0 * 255.0 / mse));
    }

    private static Mat Product(Mat a, Mat b)
    {
        var p = new Mat();
        Cv2.Multiply(a, b, p);
        return p;
    }

    // k * m + c
    private static Mat Affine(Mat m, double k, double c)
    {
        var r = new Mat();
        m.ConvertTo(r, -1, k, c);
        return r;
    }

    private static Mat To8(Mat m)
    {
        var eight = new Mat();
        m.ConvertTo(eight, MatType.CV_8U, m.Depth() == MatType.CV_8U ? 1 : 255);
        return eight;
    }

    private static Mat Luma(Mat m)
    {
        using Mat eight = To8(m);
        using var gray = new Mat();
        if (eight.Channels() == 3)
        {
            Cv2.CvtColor(eight, gray, ColorConversionCodes.BGR2GRAY);
        }
        else
        {
            eight.CopyTo(gray);
        }

        var f = new Mat();
        gray.ConvertTo(f, MatType.CV_64F);
        return f;
    }
}
