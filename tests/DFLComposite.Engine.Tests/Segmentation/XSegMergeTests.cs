using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Segmentation;

/// <summary>XSeg masks where they are used: the merge mask modes, <c>dflc mask</c>'s matte, and training masks.</summary>
[Collection("training")]
public sealed class XSegMergeTests(XSegFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Each_xseg_mask_mode_merges_and_leaves_out_an_occluder_the_hull_keeps()
    {
        _ = data.Trained;
        using XSegMasker xseg = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        using SwapModelRunner model = TinySwap();
        var wrong = Assert.Throws<BadInputException>(() => SwapModelRunner.Load(data.Workspace, BuiltInPlugins.Catalog));
        Assert.Contains("not a swap model", wrong.Message, StringComparison.Ordinal);
        (Mat frame, Mat occluder) = await OccludedFrameAsync();
        using (frame)
        using (occluder)
        {
            IReadOnlyList<PointF> landmarks = Extraction.Finder(new ExtractSettings()).Find(frame.ToFrame()).Single().Landmarks.Points68;
            double Kept(Mat mask) => Cv2.Mean(mask, occluder).Val0;
            Mat MaskOf(string mode)
            {
                using Mat copy = frame.Clone();
                using ComposedFace face = new FaceComposer(model, new MergeSettings { MaskMode = mode, Color = "none" }, null, xseg).Compose(copy, copy, landmarks);
                return face.FrameMask(copy.Size());
            }

            using Mat hull = MaskOf("dst");
            output.WriteLine($"dst (hull): share of the occluder in the mask {Kept(hull):P0}");
            Assert.True(Kept(hull) > 0.9, "the landmark hull covers the occluder");
            foreach (string mode in MergeSettings.MaskModes.Where(m => m.Contains("xseg", StringComparison.Ordinal)))
            {
                using Mat mask = MaskOf(mode);
                using var diff = new Mat();
                Cv2.Absdiff(mask, hull, diff);
                double differs = Cv2.Sum(diff).Val0 / Math.Max(1, Cv2.Sum(hull).Val0);
                output.WriteLine($"{mode}: share of the occluder in the mask {Kept(mask):P0}; differs from the hull by {differs:P0} of its area");
                Assert.True(differs > 0.05, $"{mode} is no different from the hull");
                if (mode == "xseg-dst")
                {
                    Assert.True(Kept(mask) < 0.5, $"xseg-dst keeps {Kept(mask):P0} of the occluder");
                }
            }
        }
    }

    [SkippableFact]
    public async Task Mask_writes_one_matte_per_frame_at_the_inputs_resolution()
    {
        _ = data.Trained;
        using XSegMasker xseg = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        string input = TestPaths.Media("video/d3.mp4"), folder = data.NewFolder("matte");
        var settings = new MergeSettings { MaskMode = "xseg-dst", Color = "none" };
        var merger = Merge.TestMergers.For(Extraction.Finder(new ExtractSettings()), new MatteComposer(xseg, settings), settings, input);
        MergeResult r = await merger.RunAsync(input, new MergeOutputs(folder, MatteOnly: true));
        MediaInfo info = VideoProbe.Probe(input);
        string[] files = Directory.GetFiles(folder, "*.png").Order().ToArray();
        output.WriteLine($"{files.Length} mattes for {info.FrameCount} frames of {info.Width}x{info.Height}; {r.FramesWithFaces} with a face");
        Assert.Equal(info.FrameCount, files.Length);
        using Mat first = Cv2.ImRead(files[0], ImreadModes.Unchanged);
        Assert.Equal((info.Width, info.Height, 1), (first.Width, first.Height, first.Channels()));
        double share = (double)Cv2.CountNonZero(first) / (info.Width * info.Height);
        output.WriteLine($"frame 0: {share:P0} of the frame is face");
        Assert.True(share > 0.05, "the face is in the matte");
        Assert.True(share < 0.85, "the background is not");

        // a still gives its matte, not the photo
        string still = Path.Combine(data.NewFolder("still"), "matte.png");
        Directory.CreateDirectory(Path.GetDirectoryName(still)!);
        await merger.RunAsync(TestPaths.Media("images/obama.jpg"), new MergeOutputs(still, MatteOnly: true));
        using Mat matte = Cv2.ImRead(still, ImreadModes.Unchanged);
        Assert.Equal(1, matte.Channels());
        Assert.True(Cv2.CountNonZero(matte) > 1000);
    }

    [SkippableFact]
    public void Training_masks_come_from_the_applied_xseg_mask_when_a_face_has_one()
    {
        FaceSet set = data.Copy(data.HeldOut);
        string file = set.PathOf(set.Faces[0]);
        AlignedFaceMetadata m = AlignedFaceFile.Read(file).Metadata;
        using var left = new Mat(m.Size, m.Size, MatType.CV_8UC1, Scalar.All(0));
        Cv2.Rectangle(left, new Rect(0, 0, m.Size / 2, m.Size), Scalar.All(255), -1);
        using (FaceSample hull = FaceSample.Load(file, FaceType.WholeFace, 64))
        {
            double right = Cv2.Mean(new Mat(hull.Mask, new Rect(36, 8, 24, 48))).Val0;
            output.WriteLine($"hull training mask, right half: {right:F2}");
            Assert.True(right > 0.2, "without an XSeg mask the landmark hull covers the right half of the face too");
        }

        AlignedFaceFile.UpdateMetadata(file, x => x with { MaskPng = MaskLabels.EncodePng(left) });
        using FaceSample sample = FaceSample.Load(file, FaceType.WholeFace, 64);
        double leftMean = Cv2.Mean(new Mat(sample.Mask, new Rect(4, 8, 24, 48))).Val0, rightMean = Cv2.Mean(new Mat(sample.Mask, new Rect(36, 8, 24, 48))).Val0;
        output.WriteLine($"training mask from the stored XSeg mask: left half {leftMean:F2}, right half {rightMean:F2}");
        Assert.True(leftMean > 0.9 && rightMean < 0.1);
    }

    private SwapModelRunner TinySwap()
    {
        string ws = data.NewFolder("swap");
        new Trainer(BuiltInPlugins.Catalog.Create<ISwapModel>("saehd"), new TrainSettings { BatchSize = 4, LearningRate = 3e-4, MaxIterations = 10, PreviewEvery = 0, SaveEveryMinutes = 0 }, NullLogger.Instance)
            .Run(ws, data.HeldOut, data.Train, TrainingFixture.Tiny64, new HashSet<string>(), null, CancellationToken.None);
        return SwapModelRunner.Load(ws, BuiltInPlugins.Catalog);
    }

    // Frame 0 of d19 with a patch of a flag (from another photo) pasted as an ellipse over one lower cheek.
    private static async Task<(Mat Frame, Mat Occluder)> OccludedFrameAsync()
    {
        ImageFrame first = await VideoReader.ReadFrames(TestPaths.Media("video/d19.mp4")).Select(f => f.Frame).FirstAsync();
        Mat frame = first.AsMat().Clone();
        IReadOnlyList<PointF> p = Extraction.Finder(new ExtractSettings()).Find(first).Single().Landmarks.Points68;
        float eyes = new FaceLandmarks([], p, 1).InterOcularDistance;
        var centre = new Point((int)((p[5].X + p[31].X) / 2), (int)((p[5].Y + p[31].Y) / 2));
        var occluder = new Mat(frame.Size(), MatType.CV_8UC1, Scalar.All(0));
        Cv2.Ellipse(occluder, centre, new Size((int)(eyes * 0.35), (int)(eyes * 0.4)), 20, 0, 360, Scalar.All(255), -1);
        using Mat photo = Cv2.ImRead(TestPaths.Media("images/obama-1080p.jpg"));
        using var flag = new Mat(photo, new Rect(500, 350, 150, 150));
        using var texture = new Mat();
        Cv2.Resize(flag, texture, frame.Size());
        texture.CopyTo(frame, occluder);
        return (frame, occluder);
    }
}
