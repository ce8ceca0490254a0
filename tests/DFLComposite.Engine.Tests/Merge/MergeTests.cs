using System.Diagnostics;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Engine.Training;
using DFLComposite.Merge;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

[Collection("training")]
public sealed class MergeTests(TrainingFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    private string Model() => TinyModel.Get(data);

    private MergeResult Merge(string input, string output, MergeSettings? settings = null, string? masks = null)
    {
        settings ??= new MergeSettings();
        using SwapModelRunner model = SwapModelRunner.Load(Model(), BuiltInPlugins.Catalog);
        IColorTransfer? color = settings.Color == "none" ? null : BuiltInPlugins.Catalog.Create<IColorTransfer>(settings.Color);
        var finder = Extraction.Finder(new ExtractSettings { Smooth = settings.Smooth, DetectEvery = settings.DetectEvery });
        return TestMergers.For(finder, new FaceComposer(model, settings, color), settings, input).RunAsync(input, new MergeOutputs(output, masks)).GetAwaiter().GetResult();
    }

    private static Mat MaskOf(ComposedFace face, Mat frame)
    {
        using (face)
        {
            return face.FrameMask(frame.Size());
        }
    }

    [SkippableFact]
    public void Merging_d0_keeps_size_frame_count_and_frame_rate()
    {
        string input = TestPaths.Media("video/d0.mp4");
        string mp4 = _temp.File("d0.mp4");
        MergeResult r = Merge(input, mp4);
        MediaInfo a = VideoProbe.Probe(input), b = VideoProbe.Probe(mp4);
        output.WriteLine($"in {a.Width}x{a.Height} {a.FrameCount} frames {a.FrameRate} fps; out {b.Width}x{b.Height} {b.FrameCount} frames {b.FrameRate} fps");
        Assert.Equal((a.Width, a.Height, a.FrameCount), (b.Width, b.Height, b.FrameCount));
        Assert.Equal(a.FrameRate, b.FrameRate, 3);
        Assert.Equal(78, r.Frames);
        Assert.Equal(78, r.FramesWithFaces);
    }

    [SkippableFact]
    public void Merging_d3_keeps_its_audio_with_the_same_duration()
    {
        string input = TestPaths.Media("video/d3.mp4");
        string mp4 = _temp.File("d3.mp4");
        MergeResult r = Merge(input, mp4);
        Assert.True(r.Audio);
        double a = AudioSeconds(input), b = AudioSeconds(mp4);
        output.WriteLine($"audio: {a:F3} s in, {b:F3} s out");
        Assert.True(Math.Abs(a - b) < 0.05, $"audio {a:F3} s vs {b:F3} s");
        Assert.Equal(VideoProbe.Probe(input).FrameCount, VideoProbe.Probe(mp4).FrameCount);
    }

    [SkippableFact]
    public async Task Lossless_output_is_bit_identical_outside_the_mask_and_changed_inside()
    {
        string input = TestPaths.Media("video/d0.mp4");
        string frames = _temp.File("frames"), masks = _temp.File("masks");
        Merge(input, frames, masks: masks);
        int checkedFrames = 0;
        await foreach ((long i, ImageFrame original) in VideoReader.ReadFrames(input))
        {
            using Mat merged = Cv2.ImRead(Path.Combine(frames, $"{i:D6}.png"));
            using Mat mask = Cv2.ImRead(Path.Combine(masks, $"{i:D6}.png"), ImreadModes.Grayscale);
            using Mat source = FramePixels.AsMat(original);
            using var grown = new Mat();
            Cv2.Dilate(mask, grown, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(3, 3)));
            using var outside = new Mat();
            Cv2.Compare(grown, Scalar.All(0), outside, CmpTypes.EQ);
            using var diff = new Mat();
            Cv2.Absdiff(source, merged, diff);
            using var diffGray = new Mat();
            Cv2.CvtColor(diff, diffGray, ColorConversionCodes.BGR2GRAY);
            using var changedOutside = new Mat();
            Cv2.BitwiseAnd(diffGray, outside, changedOutside);
            Assert.True(Cv2.CountNonZero(changedOutside) == 0, $"frame {i}: {Cv2.CountNonZero(changedOutside)} pixels changed outside the mask");
            using var inside = new Mat();
            Cv2.Compare(mask, Scalar.All(128), inside, CmpTypes.GT);
            Assert.True(Cv2.CountNonZero(inside) > 1000, $"frame {i}: the face mask is empty");
            Assert.True(Cv2.Mean(diffGray, inside).Val0 > 2, $"frame {i}: pixels inside the mask did not change");
            checkedFrames++;
        }

        Assert.Equal(78, checkedFrames);
    }

    [SkippableFact]
    public async Task A_lossless_video_output_holds_the_frames_of_an_image_sequence_output()
    {
        // A video output hands each frame's memory back to the decoder once ffmpeg has it (FrameBufferPool): handed back
        // too early, a later frame would overwrite it before it was encoded.
        string input = TestPaths.Media("video/d0.mp4");
        string frames = _temp.File("seq"), video = _temp.File("lossless.mkv");
        Merge(input, frames);
        Merge(input, video, new MergeSettings { Codec = "ffv1" });
        int compared = 0;
        await foreach ((long i, ImageFrame encoded) in VideoReader.ReadFrames(video))
        {
            using Mat expected = Cv2.ImRead(Path.Combine(frames, $"{i:D6}.png"));
            using Mat actual = FramePixels.AsMat(encoded);
            using var diff = new Mat();
            Cv2.Absdiff(expected, actual, diff);
            Assert.True(Cv2.CountNonZero(diff.Reshape(1)) == 0, $"frame {i} of the video is not frame {i} of the sequence");
            compared++;
        }

        Assert.Equal(78, compared);
    }

    [SkippableFact]
    public void Mask_modes_have_their_defining_properties()
    {
        using SwapModelRunner model = SwapModelRunner.Load(Model(), BuiltInPlugins.Catalog);
        ImageFrame frame = ImageIO.Read(TestPaths.Media("images/obama.jpg"));
        var (_, landmarks) = Extraction.Finder(new ExtractSettings()).Find(frame)[0];
        double Area(string mode, out Mat m)
        {
            using Mat copy = FramePixels.AsMat(frame).Clone();
            m = MaskOf(new FaceComposer(model, new MergeSettings { MaskMode = mode, Color = "none" }, null).Compose(copy, copy, landmarks.Points68), copy);
            return Cv2.Sum(m).Val0;
        }

        double full = Area("full", out Mat mFull), dst = Area("dst", out Mat mDst), prd = Area("learned-prd", out Mat mPrd),
            ldst = Area("learned-dst", out Mat mLdst), product = Area("learned-prd*learned-dst", out Mat mProduct), sum = Area("learned-prd+learned-dst", out Mat mSum);
        output.WriteLine($"mask areas: full {full:F0}, dst {dst:F0}, prd {prd:F0}, learned-dst {ldst:F0}, prd*dst {product:F0}, prd+dst {sum:F0}");
        Assert.True(full > dst * 1.2, "full covers the whole face square, more than the landmark hull");
        Assert.True(product <= Math.Min(prd, ldst) + 1, "a product of masks is inside both");
        Assert.True(sum >= Math.Max(prd, ldst) - 1, "a sum of masks covers both");

        // dst mode is exactly the landmark hull (up to the edge pixels).
        using var hull = new Mat(frame.Height, frame.Width, MatType.CV_32FC1, Scalar.All(0));
        Cv2.FillConvexPoly(hull, Cv2.ConvexHull(landmarks.Points68.Select(p => new Point((int)p.X, (int)p.Y))), Scalar.All(1));
        double hullArea = Cv2.Sum(hull).Val0;
        Assert.InRange(dst, hullArea * 0.95, hullArea * 1.05);
        foreach (Mat m in new[] { mFull, mDst, mPrd, mLdst, mProduct, mSum })
        {
            m.Dispose();
        }
    }

    [SkippableFact]
    public void Seamless_blending_matches_the_frame_at_the_mask_edge_better_than_overlay()
    {
        using SwapModelRunner model = SwapModelRunner.Load(Model(), BuiltInPlugins.Catalog);
        ImageFrame frame = ImageIO.Read(TestPaths.Media("images/obama.jpg"));
        var (_, landmarks) = Extraction.Finder(new ExtractSettings()).Find(frame)[0];
        double EdgeError(string mode)
        {
            using Mat original = FramePixels.AsMat(frame);
            using Mat merged = original.Clone();
            using Mat mask = MaskOf(new FaceComposer(model, new MergeSettings { Mode = mode, Color = "none" }, null).Compose(merged, merged, landmarks.Points68), merged);
            using var m8 = new Mat();
            mask.ConvertTo(m8, MatType.CV_8UC1, 255);
            using var inner = new Mat();
            Cv2.Erode(m8, inner, Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(7, 7)));
            using var ring = new Mat();
            Cv2.Subtract(m8, inner, ring); // a band just inside the mask edge
            Cv2.Threshold(ring, ring, 127, 255, ThresholdTypes.Binary);
            using var diff = new Mat();
            Cv2.Absdiff(original, merged, diff);
            return Cv2.Mean(diff, ring).Val0 + Cv2.Mean(diff, ring).Val1 + Cv2.Mean(diff, ring).Val2;
        }

        double overlay = EdgeError("overlay"), seamless = EdgeError("seamless");
        output.WriteLine($"difference to the frame along the mask edge: overlay {overlay:F1}, seamless {seamless:F1}");
        Assert.True(seamless < overlay * 0.7, $"seamless {seamless:F1} vs overlay {overlay:F1}");
    }

    [SkippableFact]
    public void Hist_match_gives_the_face_the_dst_faces_distribution()
    {
        ImageFrame a = ImageIO.Read(TestPaths.Media("images/obama.jpg")), b = ImageIO.Read(TestPaths.Media("images/biden.jpg"));
        // two real 128-px face crops, centre squares of the photos' faces
        float[] Crop(ImageFrame f)
        {
            var (face, _) = Extraction.Finder(new ExtractSettings()).Find(f)[0];
            using Mat m = FramePixels.AsMat(f);
            using var roi = new Mat(m, new Rect((int)face.Box.X, (int)face.Box.Y, (int)face.Box.Width, (int)face.Box.Height));
            using var small = new Mat();
            Cv2.Resize(roi, small, new Size(128, 128));
            using var fl = new Mat();
            small.ConvertTo(fl, MatType.CV_32FC3, 1.0 / 255);
            fl.GetArray(out Vec3f[] px);
            return px.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray();
        }

        float[] source = Crop(a), target = Crop(b), mask = Enumerable.Repeat(1f, 128 * 128).ToArray();
        float[] matched = HistogramMatch.Apply(source, target, mask);
        for (int c = 0; c < 3; c++)
        {
            double before = Ks(source, target, c), after = Ks(matched, target, c);
            output.WriteLine($"channel {c}: KS distance to the dst crop {before:F3} -> {after:F3}");
            Assert.True(after < 0.05 && after < before, $"channel {c}: {before:F3} -> {after:F3}");
        }
    }

    // Kolmogorov-Smirnov distance between one channel's value distributions.
    private static double Ks(float[] a, float[] b, int c)
    {
        double[] x = a.Where((_, i) => i % 3 == c).Select(v => (double)v).Order().ToArray();
        double[] y = b.Where((_, i) => i % 3 == c).Select(v => (double)v).Order().ToArray();
        double worst = 0;
        for (int k = 0; k <= 100; k++)
        {
            double t = k / 100.0;
            double fx = x.Count(v => v <= t) / (double)x.Length, fy = y.Count(v => v <= t) / (double)y.Length;
            worst = Math.Max(worst, Math.Abs(fx - fy));
        }

        return worst;
    }

    public void Dispose() => _temp.Dispose();

    private static double AudioSeconds(string file)
    {
        var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=duration", "-of", "csv=p=0", file]) { RedirectStandardOutput = true };
        using Process p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
