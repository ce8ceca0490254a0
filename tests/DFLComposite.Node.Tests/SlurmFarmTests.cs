using System.Diagnostics;
using System.Text.RegularExpressions;
using DFLComposite.Engine.Media;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// `dflc farm` on a real one-node Slurm cluster: a merge of d3 (354 frames) in chunks of 50, two at a time, then
/// assembled; a chunk whose output cannot be written fails with dflc's exit code, the assemble job never runs and
/// `dflc farm status` names the chunk; re-submitting that chunk completes the video, whose frames equal one whole
/// `dflc render` within the pre-roll rule. scancel of a running array: tasks end 130 with no partial file.
/// </summary>
[Collection("job files")]
public sealed partial class SlurmFarmTests(JobFileFixture data, SlurmCluster slurm, ITestOutputHelper output) : IClassFixture<SlurmCluster>
{
    [SkippableFact]
    public void Chunks_assemble_like_one_render_and_a_failed_chunk_is_named_and_resubmitted()
    {
        string d3 = TestPaths.Media("video/d3.mp4");
        slurm.RequireUp();
        var clock = Stopwatch.StartNew();
        string dir = data.Folder("slurm");
        string job = Path.Combine(dir, "merge.json"), whole = Path.Combine(dir, "whole.json"), video = Path.Combine(dir, "out.mov");
        File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d3}}", "output": "frames"}""");
        File.WriteAllText(whole, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d3}}", "output": "whole"}""");
        // the fault: a folder stands where frame 120 must be written, so chunk 100-149 cannot write it (exit 6)
        Directory.CreateDirectory(Path.Combine(dir, "frames", "000120.png"));

        // ffv1 is lossless, so the assembled frames can be compared with the whole render's PNGs exactly
        string[] submit = ["farm", "submit", "--scheduler", "slurm", "--job", job, "--chunk", "50", "--max-parallel", "2", "--assemble", video, "--codec", "ffv1"];
        (string array, string assemble) = Submit([.. submit, "--folder", Path.Combine(dir, "sub1")]);
        // the reference render runs meanwhile (the farm and it share the two cores)
        var reference = ProcessRunner.Run(TestPaths.Dflc, ["--threads", "1", "render", "--job", whole, "--frames", "0-353"], timeoutMs: 600_000);
        Assert.True(reference.ExitCode == 0, reference.All);
        slurm.WaitFor(TimeSpan.FromMinutes(6), array, assemble);
        TimeSpan firstRun = clock.Elapsed;
        output.WriteLine($"first run (8 chunks, 2 at a time, beside the whole render): {firstRun.TotalSeconds:F0} s");

        var status = slurm.Dflc("farm", "status", array);
        output.WriteLine(status.StdOut);
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Matches(@"│ 100\s+│ 100-149\s+│ FAILED\s+│ 6 ", status.StdOut);
        Assert.Contains("failed chunk: frames 100-149 failed (exit 6: could not write)", status.StdOut, StringComparison.Ordinal);
        Assert.Equal(7, Regex.Count(status.StdOut, @"│ COMPLETED\s+│ 0 "));
        Assert.Contains("chunks: 7 of 8 completed", status.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"assemble: CANCELLED \(DependencyNeverSatisfied\) ->", status.StdOut);
        Assert.False(File.Exists(video), "the assemble job must not run after a failed chunk");
        Assert.Contains($"--frames 100-149", status.StdOut, StringComparison.Ordinal);

        // fix the fault and re-submit only that chunk; its assemble job joins the whole clip
        Directory.Delete(Path.Combine(dir, "frames", "000120.png"));
        (string again, string assemble2) = Submit([.. submit, "--frames", "100-149", "--folder", Path.Combine(dir, "sub2")]);
        slurm.WaitFor(TimeSpan.FromMinutes(3), again, assemble2);
        var after = slurm.Dflc("farm", "status", again);
        output.WriteLine(after.StdOut);
        Assert.Contains("chunks: 1 of 1 completed", after.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"assemble: COMPLETED, exit 0", after.StdOut);
        output.WriteLine($"re-submitted chunk and assemble: {(clock.Elapsed - firstRun).TotalSeconds:F0} s");

        MediaInfo source = VideoProbe.Probe(d3), made = VideoProbe.Probe(video);
        Assert.Equal((354L, source.Width, source.Height, source.FrameRate, true), (made.FrameCount, made.Width, made.Height, made.FrameRate, made.HasAudio));
        (double worst, int identical) = CompareWithWhole(video, Path.Combine(dir, "whole"), source);
        output.WriteLine($"chunks 8 run, 1 failed (exit 6), 1 re-submitted; frames lost 0; assembled vs one whole render: worst frame mean difference {worst:F3} levels, {identical} of 354 frames identical");
        output.WriteLine($"first run {firstRun.TotalSeconds:F0} s (with the whole render beside it), total {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(worst < 0.5, $"{worst}");
    }

    [SkippableFact]
    public void Scancel_of_a_running_array_ends_its_tasks_with_130_and_leaves_no_partial_file()
    {
        string d3 = TestPaths.Media("video/d3.mp4");
        slurm.RequireUp();
        var clock = Stopwatch.StartNew();
        string dir = data.Folder("slurm-cancel"), job = Path.Combine(dir, "merge.json"), frames = Path.Combine(dir, "frames");
        File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d3}}", "output": "frames", "frames": "0-199"}""");
        (string array, _) = Submit(["farm", "submit", "--scheduler", "slurm", "--job", job, "--chunk", "100", "--max-parallel", "2", "--folder", Path.Combine(dir, "sub")]);
        string logs = Path.Combine(dir, "sub", "logs");
        // cancel once both chunks are writing frames
        while (!(Directory.Exists(frames) && Directory.GetFiles(frames, "*.png").Length >= 6))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the chunks did not start writing frames");
            Thread.Sleep(200);
        }

        var cancel = slurm.Dflc("farm", "cancel", array);
        Assert.True(cancel.ExitCode == 0, cancel.All);
        slurm.WaitFor(TimeSpan.FromMinutes(2), array);
        string[] logFiles = Directory.GetFiles(logs, $"{array}_*.log");
        Assert.Equal(2, logFiles.Length);
        foreach (string log in logFiles)
        {
            string text = File.ReadAllText(log);
            Assert.Matches(@"dflc-farm: frames \d+-\d+ exited 130", text);
        }

        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*", SearchOption.AllDirectories));
        string[] written = Directory.GetFiles(frames, "*.png");
        Assert.True(written.Length < 200, "the cancel came before the end");
        foreach (string png in written)
        {
            using Mat m = Cv2.ImRead(png);
            Assert.False(m.Empty(), $"{png} is a partial file");
        }

        var status = slurm.Dflc("farm", "status", array);
        output.WriteLine(status.StdOut);
        Assert.Equal(2, Regex.Count(status.StdOut, @"│ CANCELLED[^│]*│ 130 "));
        output.WriteLine($"cancelled with {written.Length} of 200 frames written, all complete; {clock.Elapsed.TotalSeconds:F0} s");
    }

    private (string Array, string Assemble) Submit(string[] args)
    {
        var r = slurm.Dflc(args);
        output.WriteLine(r.StdOut.Trim());
        Assert.True(r.ExitCode == 0, r.All);
        Match m = Ids().Match(r.StdOut);
        Assert.True(m.Success, r.StdOut);
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    // Every frame of the assembled (lossless) video against the whole render's PNG of the same number.
    private static (double Worst, int Identical) CompareWithWhole(string video, string whole, MediaInfo info)
    {
        byte[] raw = ProcessRunner.RunBytes("ffmpeg", ["-v", "error", "-i", video, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"], 300_000);
        int size = info.Width * info.Height * 3;
        Assert.Equal(354L * size, raw.LongLength);
        double worst = 0;
        int identical = 0;
        for (int n = 0; n < 354; n++)
        {
            using Mat expected = Cv2.ImRead(Path.Combine(whole, $"{n:D6}.png"));
            using Mat got = Mat.FromPixelData(info.Height, info.Width, MatType.CV_8UC3, raw[(n * size)..((n + 1) * size)]);
            using var diff = new Mat();
            Cv2.Absdiff(expected, got, diff);
            Scalar m = Cv2.Mean(diff);
            double mean = (m.Val0 + m.Val1 + m.Val2) / 3;
            worst = Math.Max(worst, mean);
            identical += mean == 0 ? 1 : 0;
        }

        return (worst, identical);
    }

    [GeneratedRegex(@"id (\d+)(?:, assemble (\d+))?")]
    private static partial Regex Ids();
}
