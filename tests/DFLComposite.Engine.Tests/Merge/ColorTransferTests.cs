using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using DFLComposite.Merge;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

public sealed class ColorTransferTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Rct_moves_the_faces_Lab_mean_and_std_to_the_target()
    {
        // Two real faces of different people and lighting.
        string dir = Extraction.Run(new ExtractSettings { Size = 128 }, _temp.File("fs"), TestPaths.Media("images/obama.jpg"), TestPaths.Media("images/biden.jpg")).Output;
        FaceSet set = FaceSet.Open(dir);
        AlignedFace a = AlignedFaceFile.Read(set.PathOf(set.Faces.Single(f => f.SourceFile == "obama.jpg")));
        AlignedFace b = AlignedFaceFile.Read(set.PathOf(set.Faces.Single(f => f.SourceFile == "biden.jpg")));
        using Mat hull = FaceMeasures.HullMask(b.Metadata);
        hull.GetArray(out byte[] maskBytes);
        var mask = new FaceImage(128, 128, 1, maskBytes.Select(v => v / 255f).ToArray());

        IColorTransfer rct = BuiltInPlugins.Catalog.Create<IColorTransfer>("rct");
        FaceImage result = rct.Transfer(ToFace(a.Image), ToFace(b.Image), mask);

        (double[] mt, double[] st) = LabStats(ToFace(b.Image), hull);
        (double[] ms, double[] ss) = LabStats(ToFace(a.Image), hull);
        (double[] mr, double[] sr) = LabStats(result, hull);
        output.WriteLine($"L*a*b* mean: source {Fmt(ms)}, target {Fmt(mt)}, result {Fmt(mr)}; std: source {Fmt(ss)}, target {Fmt(st)}, result {Fmt(sr)}");
        for (int c = 0; c < 3; c++)
        {
            Assert.True(Math.Abs(mr[c] - mt[c]) < 1.5, $"channel {c}: mean {mr[c]:F2} vs target {mt[c]:F2}");
            Assert.True(Math.Abs(sr[c] - st[c]) < Math.Max(1.0, st[c] * 0.1), $"channel {c}: std {sr[c]:F2} vs target {st[c]:F2}");
        }

        Assert.True(Math.Abs(ms[0] - mt[0]) + Math.Abs(ms[1] - mt[1]) + Math.Abs(ms[2] - mt[2]) > 3, "the two faces differ to begin with");
    }

    [SkippableTheory]
    [InlineData("rct", 0.1, 0.15)]
    [InlineData("lct", 0.1, 0.15)]
    [InlineData("mkl-m", 0.1, 0.15)]
    [InlineData("sot-m", 0.15, 0.25)]
    [InlineData("idt-m", 0.15, 0.25)]
    [InlineData("mix-m", 0.15, 0.25)]
    [InlineData("mkl", 0.1, 0.15, true)]
    [InlineData("idt", 0.15, 0.25, true)]
    public void Every_colour_transfer_moves_the_face_colours_to_the_target(string name, double meanFraction, double stdTolerance, bool wholeSquare = false)
    {
        (FaceImage source, FaceImage target, FaceImage mask, Mat faceHull) = Faces();
        // The unmasked transfers (mkl, idt) match the statistics of the whole face square, so they are measured there.
        using Mat hull = wholeSquare ? new Mat(faceHull.Size(), MatType.CV_8UC1, Scalar.All(255)) : faceHull.Clone();
        using (faceHull)
        {
            FaceImage result = BuiltInPlugins.Catalog.Create<IColorTransfer>(name).Transfer(source, target, mask);
            (double[] ms, double[] ss) = LabStats(source, hull);
            (double[] mt, double[] st) = LabStats(target, hull);
            (double[] mr, double[] sr) = LabStats(result, hull);
            double before = Distance(ms, mt), after = Distance(mr, mt);
            output.WriteLine($"{name}: Lab mean distance to target {before:F2} -> {after:F2}; std {Fmt(ss)} -> {Fmt(sr)} (target {Fmt(st)})");
            Assert.True(after <= before * meanFraction, $"{name}: mean distance {before:F2} -> {after:F2}");
            for (int c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(sr[c] - st[c]) <= Math.Max(1.0, st[c] * stdTolerance) || Math.Abs(sr[c] - st[c]) < Math.Abs(ss[c] - st[c]), $"{name}: channel {c} std {sr[c]:F2} vs target {st[c]:F2}");
            }
        }
    }

    private (FaceImage Source, FaceImage Target, FaceImage Mask, Mat Hull) Faces()
    {
        string dir = Extraction.Run(new ExtractSettings { Size = 128 }, _temp.File("fs" + Guid.NewGuid().ToString("N")[..4]), TestPaths.Media("images/obama.jpg"), TestPaths.Media("images/biden.jpg")).Output;
        FaceSet set = FaceSet.Open(dir);
        AlignedFace a = AlignedFaceFile.Read(set.PathOf(set.Faces.Single(f => f.SourceFile == "obama.jpg")));
        AlignedFace b = AlignedFaceFile.Read(set.PathOf(set.Faces.Single(f => f.SourceFile == "biden.jpg")));
        Mat hull = FaceMeasures.HullMask(b.Metadata);
        hull.GetArray(out byte[] maskBytes);
        return (ToFace(a.Image), ToFace(b.Image), new FaceImage(128, 128, 1, maskBytes.Select(v => v / 255f).ToArray()), hull);
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    public void Dispose() => _temp.Dispose();

    private static FaceImage ToFace(DFLComposite.Media.ImageFrame f) => new(f.Width, f.Height, 3, f.Pixels.Select(v => v / 255f).ToArray());

    // Lab statistics by OpenCV (independent of the plugin's own conversion).
    private static (double[] Mean, double[] Std) LabStats(FaceImage image, Mat mask)
    {
        using Mat bgr = Mat.FromPixelData(image.Height, image.Width, MatType.CV_32FC3, image.Pixels);
        using var lab = new Mat();
        Cv2.CvtColor(bgr, lab, ColorConversionCodes.BGR2Lab);
        Cv2.MeanStdDev(lab, out Scalar mean, out Scalar std, mask);
        return ([mean.Val0, mean.Val1, mean.Val2], [std.Val0, std.Val1, std.Val2]);
    }

    private static string Fmt(double[] v) => string.Join("/", v.Select(x => x.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
}
