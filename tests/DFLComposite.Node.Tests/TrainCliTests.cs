using System.Diagnostics;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

public sealed class TrainCliTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Tiny =
    [
        "--archi", "df", "--resolution", "64", "--ae-dims", "32", "--e-dims", "8", "--d-dims", "8", "--d-mask-dims", "4",
        "--batch-size", "2", "--preview-every", "0", "--report-every", "1",
    ];

    private readonly TempDir _temp = new();

    private (string Src, string Dst) Facesets()
    {
        string src = _temp.File("src"), dst = _temp.File("dst");
        Assert.Equal(0, ProcessRunner.Dflc("extract", "-i", TestPaths.Media("video/d0.mp4"), "-o", src, "--size", "96", "--every", "6").ExitCode);
        Assert.Equal(0, ProcessRunner.Dflc("extract", "-i", TestPaths.Media("video/d18.mp4"), "-o", dst, "--size", "96", "--every", "12").ExitCode);
        return (src, dst);
    }

    [SkippableFact]
    public void A_training_process_killed_at_random_moments_always_leaves_a_workspace_that_resumes()
    {
        (string src, string dst) = Facesets();
        string ws = _temp.File("ws");
        string[] train = ["train", "--src", src, "--dst", dst, "-w", ws, "--save-every", "1", "--backups", "2", .. Tiny];
        var rng = new Random(12345);
        for (int kill = 0; kill < 4; kill++)
        {
            var psi = new ProcessStartInfo(TestPaths.Dflc) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in train.Append("--max-iterations").Append("100000"))
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            // Drain both pipes, or dflc blocks writing its progress lines once a pipe buffer fills.
            var log = new System.Text.StringBuilder();
            p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            // Wait until it trains (first save done), then kill at a random moment: with a save after every
            // iteration, many kills land in the middle of writing a checkpoint.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(ws, "model.dflc")) && clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited)
            {
                Thread.Sleep(20);
            }

            Thread.Sleep(rng.Next(50, 1500));
            Assert.False(p.HasExited, $"dflc train ended early: {log}");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();

            var info = ProcessRunner.Dflc("model", "info", ws);
            output.WriteLine($"kill {kill}: model info exit {info.ExitCode}; {info.StdErr.Trim()}");
            Assert.True(info.ExitCode == 0, info.All);
        }

        var resumed = ProcessRunner.Dflc([.. train, "--resume", "--max-iterations", "3"]);
        Assert.True(resumed.ExitCode == 0 || resumed.All.Contains("Stopped at iteration"), resumed.All);
        Assert.Contains("Stopped at iteration", resumed.StdOut);
    }

    [SkippableFact]
    public void Train_reports_progress_lines_and_model_info_reads_the_result()
    {
        (string src, string dst) = Facesets();
        string ws = _temp.File("ws2");
        var r = ProcessRunner.Dflc(["train", "--src", src, "--dst", dst, "-w", ws, "--max-iterations", "4", .. Tiny]);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Matches(@"\[000004\] \d+ ms/it  src \d+\.\d{4}  dst \d+\.\d{4}", r.StdOut);
        Assert.True(File.Exists(Path.Combine(ws, "preview.png")));
        Assert.True(File.Exists(Path.Combine(ws, "loss.png")));
        var info = ProcessRunner.Dflc("model", "info", ws);
        Assert.Equal(0, info.ExitCode);
        Assert.Matches(@"iteration\s+.\s+4", info.StdOut);

        string[] at128 = [.. Tiny];
        at128[Array.IndexOf(at128, "--resolution") + 1] = "128";
        var changed = ProcessRunner.Dflc(["train", "--src", src, "--dst", dst, "-w", ws, "--max-iterations", "5", .. at128]);
        Assert.Equal(2, changed.ExitCode);
        Assert.Matches("--resolution: the .*model in .* has 64; it cannot change to 128", changed.StdErr);

        var missing = ProcessRunner.Dflc(["train", "--src", src, "--dst", dst, "-w", _temp.File("none"), "--resume", .. Tiny]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no model", missing.StdErr);
    }

    public void Dispose() => _temp.Dispose();
}
