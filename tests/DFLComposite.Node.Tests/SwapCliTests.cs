using DFLComposite.Engine.Media;
using DFLComposite.Tests;

namespace DFLComposite.Node.Tests;

public sealed class SwapCliTests : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Swap_runs_end_to_end_on_two_clips_and_resumes()
    {
        string src = TestPaths.Media("video/d18.mp4"), dst = TestPaths.Media("video/d0.mp4");
        string ws = _temp.File("ws"), output = _temp.File("swapped.mp4");
        string[] args = ["swap", "--src", src, "--dst", dst, "-o", output, "-w", ws, "--model", "saehd", "--resolution", "64", "--ae-dims", "32", "--e-dims", "8", "--d-dims", "8", "--d-mask-dims", "4", "--batch-size", "2", "--lr", "3e-4"];
        var r = ProcessRunner.Dflc([.. args, "--iterations", "5"]);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("Swapped 78 of 78 frames", r.StdOut);
        MediaInfo info = VideoProbe.Probe(output);
        Assert.Equal((512, 512, 78L), (info.Width, info.Height, info.FrameCount));
        Assert.True(File.Exists(Path.Combine(ws, "src-faces", "faceset.json")));
        Assert.True(File.Exists(Path.Combine(ws, "model", "model.dflc")));

        // A second run keeps the facesets and continues training from iteration 5.
        var again = ProcessRunner.Dflc([.. args, "--iterations", "8"]);
        Assert.True(again.ExitCode == 0, again.All);
        var info2 = ProcessRunner.Dflc("model", "info", Path.Combine(ws, "model"));
        Assert.Matches(@"iteration\s+.\s+8", info2.StdOut);

        // The render-farm contract on the same model: one chunk of a job, re-runnable.
        string job = _temp.File("job.json");
        File.WriteAllText(job, System.Text.Json.JsonSerializer.Serialize(new { kind = "merge", workspace = "ws/model", input = dst, output = "chunks", settings = new { mode = "overlay" } }));
        for (int run = 0; run < 2; run++)
        {
            var render = ProcessRunner.Dflc("render", "--job", job, "--frames", "5-9");
            Assert.True(render.ExitCode == 0, render.All);
            Assert.Contains("PROGRESS", render.StdOut, StringComparison.Ordinal);
            Assert.Equal(["000005.png", "000006.png", "000007.png", "000008.png", "000009.png"], Directory.GetFiles(_temp.File("chunks")).Select(Path.GetFileName).Order());
        }

        // A job with a reference person swaps only that person: Biden is not in d0, so no face is touched.
        string someoneElse = _temp.File("someone-else.json");
        File.WriteAllText(someoneElse, System.Text.Json.JsonSerializer.Serialize(new
        {
            kind = "merge", workspace = "ws/model", input = dst, output = "chunks-biden", reference = new[] { TestPaths.Media("images/identities/biden/biden.jpg") },
        }));
        var none = ProcessRunner.Dflc("render", "--job", someoneElse, "--frames", "5-9");
        Assert.True(none.ExitCode == 0, none.All);
        Assert.Contains("Rendered frames 5-9 (0 with a face)", none.StdOut, StringComparison.Ordinal);

        File.WriteAllText(job, """{"kind": "merge", "workspace": "ws/model", "input": "x.mp4", "output": "out.mp4"}""");
        Assert.Equal(2, ProcessRunner.Dflc("render", "--job", job, "--frames", "5-9").ExitCode);

        // merge --reference on a photo of two people swaps only the one in the reference photo.
        var one = ProcessRunner.Dflc(
            "merge", "-w", Path.Combine(ws, "model"), "-i", TestPaths.Media("images/identities_test/obama_and_biden.jpg"), "-o", _temp.File("pair.png"),
            "--reference", TestPaths.Media("images/identities/obama/obama.jpg"));
        Assert.True(one.ExitCode == 0, one.All);
        Assert.Contains("1 face(s) matched the reference person (swapped), 1 face(s) of other people were left alone", one.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.File("pair.png")));
    }

    [SkippableFact]
    public void A_dst_reference_that_matches_nobody_in_the_clip_stops_the_swap_and_says_so()
    {
        string src = TestPaths.Media("images/identities/obama/obama.jpg"), dst = TestPaths.Media("video/d0.mp4");
        string biden = TestPaths.Media("images/identities/biden/biden.jpg");
        var r = ProcessRunner.Dflc(
            "swap", "--src", src, "--dst", dst, "-o", _temp.File("out.mp4"), "-w", _temp.File("ws"), "--iterations", "2",
            "--src-reference", src, "--dst-reference", biden, "--identity-weight", "1");
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("is the reference person", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("d0.mp4", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("out.mp4")));
    }

    public void Dispose() => _temp.Dispose();
}
