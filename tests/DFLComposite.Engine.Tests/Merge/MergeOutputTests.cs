using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Merge;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;
using VideoWriter = DFLComposite.Engine.Media.VideoWriter;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>The compositor-facing outputs: alpha, prores 4444 with alpha, raw-predict squares, debug panels.</summary>
[Collection("training")]
public sealed class MergeOutputTests(TrainingFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    private MergeResult Merge(string input, MergeOutputs outputs, MergeSettings settings)
    {
        using SwapModelRunner model = SwapModelRunner.Load(TinyModel.Get(data), BuiltInPlugins.Catalog);
        IColorTransfer? color = settings.Color == "none" ? null : BuiltInPlugins.Catalog.Create<IColorTransfer>(settings.Color);
        var finder = Extraction.Finder(new ExtractSettings { Smooth = settings.Smooth, DetectEvery = settings.DetectEvery });
        return TestMergers.For(finder, new FaceComposer(model, settings, color), settings, input).RunAsync(input, outputs).GetAwaiter().GetResult();
    }

    [SkippableFact]
    public void Png_with_alpha_carries_the_merge_mask_and_debug_panels_show_four_steps()
    {
        string input = TestPaths.Media("images/obama.jpg");
        string png = _temp.File("merged.png"), mask = _temp.File("mask.png"), debug = _temp.File("debug.png");
        Merge(input, new MergeOutputs(png, mask, debug, Alpha: true), new MergeSettings { SharpenAmount = 30, Denoise = 50 });
        using Mat rgba = Cv2.ImRead(png, ImreadModes.Unchanged);
        using Mat matte = Cv2.ImRead(mask, ImreadModes.Grayscale);
        using Mat original = Cv2.ImRead(input);
        Assert.Equal(4, rgba.Channels());
        Assert.Equal(original.Size(), rgba.Size());
        using Mat alpha = rgba.ExtractChannel(3);
        using var diff = new Mat();
        Cv2.Absdiff(alpha, matte, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff));
        Assert.True(Cv2.CountNonZero(alpha) > 2000, "the face is opaque in the alpha");

        using Mat panels = Cv2.ImRead(debug);
        output.WriteLine($"debug panels {panels.Width}x{panels.Height}");
        Assert.Equal((4 * 256, 256), (panels.Width, panels.Height));
        using Mat maskPanel = new Mat(panels, new Rect(512, 0, 256, 256)).Clone();
        Cv2.MeanStdDev(maskPanel, out _, out Scalar std);
        Assert.True(std.Val0 > 50, "the third panel is a black-and-white mask");
    }

    [SkippableFact]
    public void Prores4444_with_alpha_keeps_an_alpha_plane()
    {
        string input = TestPaths.Media("video/d0.mp4");
        string mov = _temp.File("d0.mov");
        Merge(input, new MergeOutputs(mov, Alpha: true), new MergeSettings { Codec = "prores4444", MotionBlur = 50 });
        var probe = ProcessRunner.Run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,pix_fmt,nb_frames", "-of", "csv=p=0", mov]);
        output.WriteLine($"ffprobe: {probe.StdOut.Trim()}");
        Assert.StartsWith("512,512,yuva444p", probe.StdOut.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(",78", probe.StdOut.Trim(), StringComparison.Ordinal);

        // the alpha of a frame is the face: opaque there, transparent in a corner
        string alphaPng = _temp.File("alpha.png");
        ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", mov, "-vf", "select=eq(n\\,10),alphaextract", "-frames:v", "1", alphaPng]);
        using Mat a = Cv2.ImRead(alphaPng, ImreadModes.Grayscale);
        Assert.True(a.At<byte>(256, 256) > 200 && a.At<byte>(5, 5) < 10, $"alpha centre {a.At<byte>(256, 256)}, corner {a.At<byte>(5, 5)}");
    }

    [SkippableFact]
    public void Raw_predict_writes_the_predicted_face_squares()
    {
        string input = TestPaths.Media("video/d0.mp4");
        string folder = _temp.File("raw");
        MergeResult r = Merge(input, new MergeOutputs(folder), new MergeSettings { Mode = "raw-predict" });
        string[] files = Directory.GetFiles(folder, "*.png");
        Assert.Equal(78, files.Length);
        using Mat first = Cv2.ImRead(files.Order().First());
        Assert.Equal((64, 64), (first.Width, first.Height));
        Assert.Equal(78, r.FramesWithFaces);
        Assert.Throws<Settings.JobValidationException>(() => Merge(input, new MergeOutputs(folder, Alpha: true), new MergeSettings { Mode = "raw-predict" }));
    }

    [SkippableFact]
    public void Chunks_with_pre_roll_render_what_the_whole_clip_merge_renders()
    {
        string input = TestPaths.Media("video/d0.mp4");
        var settings = new MergeSettings { Color = "none" };
        string whole = _temp.File("whole"), chunks = _temp.File("chunks");
        Merge(input, new MergeOutputs(whole), settings);
        using SwapModelRunner model = SwapModelRunner.Load(TinyModel.Get(data), BuiltInPlugins.Catalog);
        var merger = TestMergers.For(Extraction.Finder(new ExtractSettings()), new FaceComposer(model, settings, null), settings, input);
        MergeResult a = merger.RunAsync(input, new MergeOutputs(chunks), new MergeRange(0, 39)).GetAwaiter().GetResult();
        MergeResult b = merger.RunAsync(input, new MergeOutputs(chunks), new MergeRange(40, 77)).GetAwaiter().GetResult();
        Assert.Equal((40L, 38L), (a.Frames, b.Frames));
        double worst = 0;
        foreach (string file in Directory.GetFiles(whole, "*.png"))
        {
            using Mat x = Cv2.ImRead(file), y = Cv2.ImRead(Path.Combine(chunks, Path.GetFileName(file)));
            using var diff = new Mat();
            Cv2.Absdiff(x, y, diff);
            Scalar m = Cv2.Mean(diff);
            worst = Math.Max(worst, (m.Val0 + m.Val1 + m.Val2) / 3);
        }

        output.WriteLine($"chunks 0-39 + 40-77 vs one merge: worst frame mean difference {worst:F3} levels");
        Assert.Equal(78, Directory.GetFiles(chunks, "*.png").Length);
        Assert.True(worst < 0.5, $"{worst}");
        // a range into a video file (the panel's clip ranges): those frames only, the audio from the range's start
        MergeResult ranged = merger.RunAsync(input, new MergeOutputs(_temp.File("x.mp4")), new MergeRange(20, 29)).GetAwaiter().GetResult();
        Assert.Equal(10, ranged.Frames);
        Assert.Equal(10, VideoProbe.Probe(_temp.File("x.mp4")).FrameCount);
    }

    [SkippableFact]
    public async Task A_write_failure_ends_the_merge_with_its_error_not_a_hang()
    {
        string input = TestPaths.Media("video/d0.mp4");
        string folder = _temp.File("blocked");
        Directory.CreateDirectory(Path.Combine(folder, "000003.png")); // a folder stands where frame 3 must be written
        Task<MergeResult> run = Task.Run(() => Merge(input, new MergeOutputs(folder), new MergeSettings()));
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(TimeSpan.FromMinutes(4)));
        output.WriteLine($"{ex.GetType().Name}: {ex.Message}");
        Assert.IsNotType<TimeoutException>(ex);
        Assert.True(ex is OutputWriteException && ex.Message.Contains("000003.png", StringComparison.Ordinal), ex.ToString());
    }

    [Fact]
    public void A_codec_the_container_cannot_hold_is_refused_before_encoding()
    {
        Assert.Throws<Settings.JobValidationException>(() => VideoWriter.CheckContainer("out.mp4", "ffv1"));
        Assert.Throws<Settings.JobValidationException>(() => VideoWriter.CheckContainer("out.mp4", "prores4444"));
        VideoWriter.CheckContainer("out.mov", "prores4444");
        VideoWriter.CheckContainer("out.mkv", "ffv1");
        VideoWriter.CheckContainer("out.mp4", "h264");
    }

    public void Dispose() => _temp.Dispose();
}
