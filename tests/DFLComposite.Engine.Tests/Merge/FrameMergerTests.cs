using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>
/// The per-frame API hosts drive (<see cref="FrameMerger"/>): the same pixels as a file merge in order, the stated
/// tracking rule out of order and from two threads, float frames without an 8-bit round trip, EXR sequences.
/// </summary>
[Collection("training")]
public sealed class FrameMergerTests(TrainingFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    private static JobContext Context => new(BuiltInPlugins.Catalog, NullLoggerFactory.Instance);

    private MergeJob Job(string outputPath, string format = "png") =>
        new() { Workspace = TinyModel.Get(data), Input = TestPaths.Media("video/d0.mp4"), Output = outputPath, Format = format };

    private static List<ImageFrame> Frames(string input, int count = int.MaxValue)
    {
        var frames = new List<ImageFrame>();
        foreach ((long _, ImageFrame f) in VideoReader.ReadFrames(input).ToBlockingEnumerable().Take(count))
        {
            frames.Add(f);
        }

        return frames;
    }

    [SkippableFact]
    public async Task Frames_fed_in_order_give_the_pixels_of_the_file_merge()
    {
        MergeJob job = Job(_temp.File("file"));
        await new JobRunner(Context).RunAsync(job, null, CancellationToken.None);
        using FrameMerger session = FrameMerger.Open(job, Context, 25);
        List<ImageFrame> frames = Frames(job.Input);
        int withFaces = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            using MergedFrame r = session.Process(frames[i], i);
            using Mat file = Cv2.ImRead(Path.Combine(job.Output, $"{i:D6}.png"));
            Assert.True(file.ToFrame().Pixels.AsSpan().SequenceEqual(r.Frame.Pixels), $"frame {i} differs from the file merge");
            Assert.Equal(0, r.TrackedFrom);
            withFaces += r.Faces > 0 ? 1 : 0;
        }

        output.WriteLine($"{frames.Count} frames bit-identical to the file merge; {withFaces} with a face");
        Assert.Equal(78, frames.Count);
        Assert.True(withFaces > 70);
    }

    [SkippableFact]
    public void Frames_out_of_order_and_from_two_threads_follow_the_tracking_rule()
    {
        MergeJob job = Job(_temp.File("unused"));
        List<ImageFrame> frames = Frames(job.Input);
        var inOrder = new byte[frames.Count][];
        using (FrameMerger session = FrameMerger.Open(job, Context, 25))
        {
            for (int i = 0; i < frames.Count; i++)
            {
                using MergedFrame r = session.Process(frames[i], i);
                inOrder[i] = r.Frame.Pixels;
            }
        }

        // shuffled, two threads at once on one session
        int[] order = Enumerable.Range(0, frames.Count).OrderBy(i => (i * 7919) % 101).ToArray();
        var results = new (byte[] Pixels, long From)[frames.Count];
        using (FrameMerger shared = FrameMerger.Open(job, Context, 25))
        {
            Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                using MergedFrame r = shared.Process(frames[i], i);
                results[i] = (r.Frame.Pixels, r.TrackedFrom);
            });
        }

        // The rule: frame n equals what a new session fed frames TrackedFrom..n in order gives.
        double worst = 0;
        int runs = 0;
        for (int n = 0; n < frames.Count; n++)
        {
            long from = results[n].From;
            Assert.InRange(from, 0, n);
            using FrameMerger fresh = FrameMerger.Open(job, Context, 25);
            byte[]? expected = null;
            for (long k = from; k <= n; k++)
            {
                using MergedFrame r = fresh.Process(frames[(int)k], k);
                expected = r.Frame.Pixels;
            }

            Assert.True(expected!.AsSpan().SequenceEqual(results[n].Pixels), $"frame {n} (tracked from {from}) breaks the rule");
            runs += from < n ? 1 : 0;
            worst = Math.Max(worst, MaxDifference(results[n].Pixels, inOrder[n]));
        }

        output.WriteLine($"shuffled on two threads: every frame equals a fresh session fed its run in order ({runs} frames followed a neighbour); max difference to the in-order merge {worst} levels");
    }

    [SkippableFact]
    public void Float_rgba_frames_match_the_8_bit_path_and_keep_every_pixel_outside_the_mask()
    {
        MergeJob job = Job(_temp.File("unused"));
        List<ImageFrame> frames = Frames(job.Input, 24);
        using FrameMerger eight = FrameMerger.Open(job, Context, 25), single = FrameMerger.Open(job, Context, 25);
        int worst = 0;
        long masked = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            ImageFrame f32 = frames[i].Convert(PixelFormat.RgbaF32);
            using MergedFrame a = eight.Process(frames[i], i), b = single.Process(f32, i);
            Assert.Equal(PixelFormat.RgbaF32, b.Frame.Format);
            using Mat bgr8 = a.Frame.AsMat();
            using var quantised = new Mat();
            using (Mat asBgr = b.Frame.Convert(PixelFormat.Bgr8).AsMat())
            {
                asBgr.CopyTo(quantised);
            }

            using var diff = new Mat();
            Cv2.Absdiff(quantised, bgr8, diff);
            Cv2.MinMaxLoc(diff.Reshape(1), out _, out double max);
            worst = Math.Max(worst, (int)max);

            // outside the mask grown by 2 px the float frame is the input, bit for bit (alpha too)
            using var inside = new Mat();
            b.Matte!.ConvertTo(inside, MatType.CV_8UC1, 255, 0.5);
            Cv2.Threshold(inside, inside, 0, 255, ThresholdTypes.Binary);
            Cv2.Dilate(inside, inside, null, iterations: 2);
            masked += Cv2.CountNonZero(inside);
            inside.GetArray(out byte[] grown);
            int changedOutside = 0;
            for (int p = 0; p < grown.Length; p++)
            {
                if (grown[p] == 0 && !b.Frame.Pixels.AsSpan(p * 16, 16).SequenceEqual(f32.Pixels.AsSpan(p * 16, 16)))
                {
                    changedOutside++;
                }
            }

            Assert.Equal(0, changedOutside);
        }

        output.WriteLine($"float RGBA vs 8-bit BGR over {frames.Count} frames: max difference {worst} level(s) after quantising; {masked} pixels inside the dilated masks, all others identical");
        Assert.True(masked > 1000, "faces were merged");
        Assert.True(worst <= 1, $"float path differs from the 8-bit path by {worst} levels");
    }

    [SkippableFact]
    public async Task An_exr_sequence_holds_float_frames_with_the_matte_as_alpha()
    {
        // The OpenCV build we ship has no EXR codec, so ffmpeg's EXR decoder reads the files back: an independent reader.
        MergeJob exr = Job(_temp.File("exr"), "exr");
        MergeJob png = Job(_temp.File("png")) with { MaskOutput = _temp.File("mattes") };
        await new JobRunner(Context).RunAsync(exr, null, CancellationToken.None);
        await new JobRunner(Context).RunAsync(png, null, CancellationToken.None);
        MediaInfo info = VideoProbe.Probe(exr.Input);
        var probe = ProcessRunner.Run("ffprobe", ["-v", "error", "-f", "image2", "-i", Path.Combine(exr.Output, "%06d.exr"), "-count_frames",
            "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0"]);
        output.WriteLine($"ffprobe of the EXR sequence: {probe.StdOut.Trim()}");
        Assert.Equal($"{info.Width},{info.Height},{info.FrameCount}", probe.StdOut.Trim());

        double worstColour = 0, worstAlpha = 0;
        foreach (int frame in new[] { 0, 30, 60 })
        {
            string name = $"{frame:D6}";
            var raw = ProcessRunner.RunBytes("ffmpeg", ["-v", "error", "-i", Path.Combine(exr.Output, name + ".exr"), "-f", "rawvideo", "-pix_fmt", "gbrapf32le", "-"]);
            float[] planes = new float[raw.Length / 4];
            Buffer.BlockCopy(raw, 0, planes, 0, raw.Length);
            int n = info.Width * info.Height;
            Assert.Equal(4 * n, planes.Length);
            using Mat merged = Cv2.ImRead(Path.Combine(png.Output, name + ".png"));
            using Mat matte = Cv2.ImRead(Path.Combine(png.MaskOutput!, name + ".png"), ImreadModes.Grayscale);
            merged.GetArray(out Vec3b[] bgr);
            matte.GetArray(out byte[] alpha);
            for (int p = 0; p < n; p++)
            {
                // planes G, B, R, A; the 8-bit merge is the same float blend, rounded
                worstColour = Math.Max(worstColour, Math.Abs((planes[p] * 255) - bgr[p].Item1));
                worstColour = Math.Max(worstColour, Math.Abs((planes[n + p] * 255) - bgr[p].Item0));
                worstColour = Math.Max(worstColour, Math.Abs((planes[(2 * n) + p] * 255) - bgr[p].Item2));
                worstAlpha = Math.Max(worstAlpha, Math.Abs((planes[(3 * n) + p] * 255) - alpha[p]));
            }
        }

        output.WriteLine($"EXR vs the 8-bit merge of the same job: colour within {worstColour:F3} levels, alpha vs matte within {worstAlpha:F3} levels");
        Assert.True(worstColour <= 0.5 + 1e-3, $"colour {worstColour}");
        Assert.True(worstAlpha <= 0.5 + 1e-3, $"alpha {worstAlpha}");
    }

    private static double MaxDifference(byte[] a, byte[] b)
    {
        int worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }

    public void Dispose() => _temp.Dispose();
}
