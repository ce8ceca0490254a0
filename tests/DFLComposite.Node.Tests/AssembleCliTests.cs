using DFLComposite.Engine.Media;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// `dflc assemble`: the frames render chunks wrote, joined into a video with the source's size, rate and audio; a
/// missing, doubled or truncated frame fails with exit 3 naming each by number, and nothing is written.
/// </summary>
[Collection("job files")]
public sealed class AssembleCliTests(JobFileFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public void Assemble_joins_two_chunks_and_names_missing_doubled_and_truncated_frames()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string d3 = TestPaths.Media("video/d3.mp4");
        string dir = data.Folder("assemble"), job = Path.Combine(dir, "merge.json"), frames = Path.Combine(dir, "frames"), video = Path.Combine(dir, "out.mp4");
        File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d3}}", "output": "frames", "frames": "0-23"}""");
        foreach (string chunk in new[] { "0-11", "12-23" })
        {
            var r = ProcessRunner.Dflc("render", "--job", job, "--frames", chunk);
            Assert.True(r.ExitCode == 0, r.All);
        }

        var ok = ProcessRunner.Dflc("assemble", "--job", job, "-o", video);
        Assert.True(ok.ExitCode == 0, ok.All);
        MediaInfo source = VideoProbe.Probe(d3), made = VideoProbe.Probe(video);
        Assert.Equal((24L, source.Width, source.Height, source.FrameRate, true), (made.FrameCount, made.Width, made.Height, made.FrameRate, made.HasAudio));
        Assert.True(made.Duration.TotalSeconds < 24 / source.FrameRate + 0.2, $"the audio is cut to the frames: {made.Duration}");
        output.WriteLine(ok.StdOut.Trim().Split('\n')[^1]);

        // one frame deleted, one truncated (a copy cut short, as a node dying mid-copy leaves it), one doubled
        File.Delete(Path.Combine(frames, "000007.png"));
        byte[] png = File.ReadAllBytes(Path.Combine(frames, "000016.png"));
        File.WriteAllBytes(Path.Combine(frames, "000016.png"), png[..(png.Length / 2)]);
        File.Copy(Path.Combine(frames, "000020.png"), Path.Combine(frames, "000020 (1).png"));
        File.Delete(video);
        var bad = ProcessRunner.Dflc("assemble", "--job", job, "-o", video);
        output.WriteLine(bad.StdErr.Trim());
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("missing frame 7;", bad.StdErr, StringComparison.Ordinal);
        Assert.Contains("frame 16 unreadable", bad.StdErr, StringComparison.Ordinal);
        Assert.Contains("frame present twice 20", bad.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(video), "nothing is written when frames are bad");
        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*"));

        // the job kind runs from a file too, and --print-job prints it back
        var printed = ProcessRunner.Dflc("assemble", "--job", job, "-o", video, "--codec", "ffv1", "--print-job");
        Assert.True(printed.ExitCode == 0, printed.All);
        Assert.Contains("\"kind\": \"assemble\"", printed.StdOut, StringComparison.Ordinal);
        string file = Path.Combine(dir, "assemble.json");
        File.WriteAllText(file, printed.StdOut);
        Assert.Equal(3, ProcessRunner.Dflc("run", file).ExitCode);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s");
    }
}
