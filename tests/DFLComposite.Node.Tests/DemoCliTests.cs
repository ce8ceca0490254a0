using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Media;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Node.Tests;

/// <summary>
/// The README's main job, shortened to a few training iterations: it needs only what set-up fetched (the example
/// photos), not the shared test media, so it runs on any machine after <c>./run.sh setup</c>.
/// </summary>
public sealed class DemoCliTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void Demo_runs_a_whole_swap_on_the_example_photos()
    {
        string examples = DemoJob.ExamplesDirectory();
        Assert.True(File.Exists(Path.Combine(examples, DemoJob.SrcPhoto)), $"{examples} has no {DemoJob.SrcPhoto}: run ./run.sh setup, which fetches the examples.");
        string folder = _temp.File("demo");
        var r = ProcessRunner.Dflc("demo", "--iterations", "4", "-o", folder);
        Assert.True(r.ExitCode == 0, r.All);
        // libtorch's NNPACK is off before any network runs (the CI's CPU made it print a line per convolution)
        Assert.DoesNotContain("NNPACK", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("Result: " + Path.Combine(folder, "result.mp4"), r.StdOut, StringComparison.Ordinal);

        MediaInfo dst = VideoProbe.Probe(Path.Combine(folder, "dst.mp4")), result = VideoProbe.Probe(Path.Combine(folder, "result.mp4"));
        Assert.Equal((dst.Width, dst.Height, dst.FrameCount), (result.Width, result.Height, result.FrameCount));
        Assert.Equal(dst.FrameRate, result.FrameRate, 3);
        using Mat beforeAfter = Cv2.ImRead(Path.Combine(folder, "before-after.png"));
        Assert.Equal((dst.Width * 2, dst.Height), (beforeAfter.Width, beforeAfter.Height));
        // the right half (after) differs from the left (before): faces were swapped
        using Mat left = new(beforeAfter, new Rect(0, 0, dst.Width, dst.Height)), right = new(beforeAfter, new Rect(dst.Width, 0, dst.Width, dst.Height));
        using var diff = new Mat();
        Cv2.Absdiff(left, right, diff);
        Assert.True(Cv2.Mean(diff).Val0 > 0.5, "the after frame differs from the before frame");
        Assert.True(File.Exists(Path.Combine(folder, "model", "preview.png")));

        // the demo judges its own result: 4 iterations are noise, and it says so and what to do
        Assert.Contains("Verdict: not yet a face", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Next: Train longer", r.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "report", "index.html")));
    }

    [Fact]
    public void Demo_without_the_examples_says_to_run_setup()
    {
        string empty = _temp.File("no-examples");
        Directory.CreateDirectory(empty);
        var r = ProcessRunner.Run(TestPaths.Dflc, ["demo", "-o", _temp.File("out")], new Dictionary<string, string> { ["DFLC_EXAMPLES"] = empty });
        Assert.Equal(4, r.ExitCode);
        Assert.Contains(Path.Combine(empty, DemoJob.SrcPhoto), r.All, StringComparison.Ordinal);
        Assert.Contains("./run.sh setup", r.All, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
