using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Merge.Effects;
using DFLComposite.Faces;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>Each finishing step on a real face crop, by the property that defines it.</summary>
public sealed class FaceEffectsTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Sharpen_raises_detail_and_a_negative_amount_lowers_it()
    {
        using Mat face = Face();
        double before = Detail(face);
        foreach (string mode in Sharpen.Modes)
        {
            using Mat sharp = face.Clone();
            Sharpen.Apply(sharp, mode, 60);
            using Mat soft = face.Clone();
            Sharpen.Apply(soft, mode, -60);
            double s = Detail(sharp), b = Detail(soft);
            output.WriteLine($"{mode}: Laplacian variance {before:F5} -> sharpen {s:F5}, soften {b:F5}");
            Assert.True(s > before * 1.5, $"{mode} +60: {before} -> {s}");
            Assert.True(b < before * 0.5, $"{mode} -60: {before} -> {b}");
        }
    }

    [SkippableFact]
    public void Denoise_removes_salt_and_pepper_noise()
    {
        using Mat clean = Face();
        using Mat noisy = clean.Clone();
        var rng = new Random(3);
        int rows = clean.Rows, cols = clean.Cols;
        for (int i = 0; i < rows * cols * 15 / 100; i++) // 15 % of the pixels hit
        {
            float v = rng.Next(2);
            noisy.Set(rng.Next(rows), rng.Next(cols), new Vec3f(v, v, v));
        }

        double before = Error(noisy, clean);
        Denoise.Apply(noisy, 100);
        double after = Error(noisy, clean);
        output.WriteLine($"mean abs error to the clean face: noisy {before:F4} -> denoised {after:F4}");
        Assert.True(after < before * 0.6, $"{before} -> {after}");
    }

    [SkippableFact]
    public void Bicubic_degrade_removes_detail_in_proportion_to_its_power()
    {
        using Mat face = Face();
        double none = Detail(face);
        using Mat zero = face.Clone();
        BicubicDegrade.Apply(zero, 0);
        Assert.Equal(0, Error(zero, face));
        using Mat half = face.Clone(), most = face.Clone();
        BicubicDegrade.Apply(half, 50);
        BicubicDegrade.Apply(most, 90);
        double h = Detail(half), m = Detail(most);
        output.WriteLine($"Laplacian variance: original {none:F5}, power 50 {h:F5}, power 90 {m:F5}");
        Assert.True(h < none * 0.6 && m < h * 0.6, $"{none} -> {h} -> {m}");
    }

    [SkippableFact]
    public void Color_degrade_at_full_power_leaves_at_most_256_colours()
    {
        using Mat face = Face();
        using Mat reduced = face.Clone();
        ColorDegrade.Apply(reduced, 100);
        int before = Colours(face), after = Colours(reduced);
        output.WriteLine($"distinct colours: {before} -> {after}");
        Assert.True(before > 1000);
        Assert.InRange(after, 2, 256);
    }

    [SkippableFact]
    public void Motion_blur_smears_along_the_motion_only()
    {
        using Mat face = Face();
        using Mat blurred = face.Clone();
        MotionBlur.Apply(blurred, (12, 0), 100);
        (double gx0, double gy0) = Gradients(face);
        (double gx1, double gy1) = Gradients(blurred);
        output.WriteLine($"gradient energy x {gx0:F5} -> {gx1:F5}, y {gy0:F5} -> {gy1:F5}");
        Assert.True(gx1 < gx0 * 0.5, "horizontal motion removes horizontal detail");
        Assert.True(gx1 / gx0 < 0.5 * (gy1 / gy0), "horizontal detail goes much more than vertical");
        using Mat still = face.Clone();
        MotionBlur.Apply(still, (12, 0), 0);
        Assert.Equal(0, Error(still, face));
    }

    private Mat Face()
    {
        string dir = Extraction.Run(new ExtractSettings { Size = 128 }, _temp.File("fs" + Guid.NewGuid().ToString("N")[..4]), TestPaths.Media("images/obama.jpg")).Output;
        FaceSet set = FaceSet.Open(dir);
        AlignedFace a = AlignedFaceFile.Read(set.PathOf(set.Faces[0]));
        using Mat eight = Mat.FromPixelData(a.Image.Height, a.Image.Width, MatType.CV_8UC3, a.Image.Pixels);
        var face = new Mat();
        eight.ConvertTo(face, MatType.CV_32FC3, 1.0 / 255);
        return face;
    }

    private static double Detail(Mat face)
    {
        using var gray = new Mat();
        Cv2.CvtColor(face, gray, ColorConversionCodes.BGR2GRAY);
        using var lap = new Mat();
        Cv2.Laplacian(gray, lap, MatType.CV_32F);
        Cv2.MeanStdDev(lap, out _, out Scalar std);
        return std.Val0 * std.Val0;
    }

    private static (double X, double Y) Gradients(Mat face)
    {
        using var gray = new Mat();
        Cv2.CvtColor(face, gray, ColorConversionCodes.BGR2GRAY);
        using var gx = new Mat();
        using var gy = new Mat();
        Cv2.Sobel(gray, gx, MatType.CV_32F, 1, 0);
        Cv2.Sobel(gray, gy, MatType.CV_32F, 0, 1);
        return (Cv2.Norm(gx, NormTypes.L2SQR) / gx.Total(), Cv2.Norm(gy, NormTypes.L2SQR) / gy.Total());
    }

    private static double Error(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        Scalar m = Cv2.Mean(diff);
        return (m.Val0 + m.Val1 + m.Val2) / 3;
    }

    private static int Colours(Mat face)
    {
        using var eight = new Mat();
        face.ConvertTo(eight, MatType.CV_8UC3, 255);
        eight.GetArray(out Vec3b[] px);
        return px.Select(p => (p.Item0 << 16) | (p.Item1 << 8) | p.Item2).Distinct().Count();
    }

    public void Dispose() => _temp.Dispose();
}
