using System.Diagnostics;
using System.Text.RegularExpressions;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// Ctrl+C and SIGTERM stop every job kind cleanly: training saves its last completed iteration however long a step and
/// a save take (System.CommandLine's 2-second kill is off), outputs are complete or absent, the exit code is 130 and
/// the same command resumes. Signals go to a process whose SIGINT disposition is the default (`env --default-signal`).
/// </summary>
[Collection("job files")]
public sealed partial class SignalTests(JobFileFixture data, ITestOutputHelper output)
{
    // measured on the 2-core machine (dflc bench train): 4.5 s per step at 96 px with these widths: well over 2 s
    private static readonly string[] Slow = ["--archi", "df", "--resolution", "96", "--ae-dims", "128", "--e-dims", "48", "--d-dims", "48", "--d-mask-dims", "16", "--batch-size", "4", "--seed", "3", "--report-every", "1", "--preview-every", "0"];

    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_mid_iteration_saves_the_last_completed_iteration_and_resume_continues(string signal)
    {
        string ws = Path.Combine(data.Folder("signal-" + signal), "model");
        string[] args = ["train", "--src", data.Extracted.A, "--dst", data.Dst, "-w", ws, .. Slow];
        (int code, string stdout, string stderr, TimeSpan stopping) = RunAndSignal(args, signal, s => IterationLine().Count(s) >= 2);
        output.WriteLine(stdout + stderr);
        output.WriteLine($"SIG{signal}: exited {code} {stopping.TotalSeconds:F1} s after the signal");
        Assert.Equal(130, code);
        long last = IterationLine().Matches(stdout).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Max();
        long saved = long.Parse(Stopped().Match(stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(saved >= last, $"saved {saved}, last reported {last}");
        Assert.True(stopping > TimeSpan.FromSeconds(2), $"step + save took {stopping.TotalSeconds:F1} s: the test needs a slower model to prove the 2-second kill is gone");
        Assert.Matches($@"iteration\s+.\s+{saved}\b", ProcessRunner.Dflc("model", "info", ws).StdOut);
        Assert.Empty(Directory.GetFiles(ws, "*.dflc-tmp*", SearchOption.AllDirectories));

        var resumed = ProcessRunner.Dflc([.. args, "--resume", "--max-iterations", (saved + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains($"[{saved + 1:D6}]", resumed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"[{saved:D6}]", resumed.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void XSeg_training_saves_on_SIGINT()
    {
        string ws = Path.Combine(data.Folder("signal-xseg"), "xseg");
        string[] args = ["xseg", "train", "--faceset", data.Labelled, "-w", ws, "--resolution", "128", "--base-channels", "32", "--batch-size", "4", "--report-every", "1", "--preview-every", "0"];
        (int code, string stdout, _, TimeSpan stopping) = RunAndSignal(args, "INT", s => IterationLine().Count(s) >= 2);
        output.WriteLine($"XSeg SIGINT: exited {code} {stopping.TotalSeconds:F1} s after the signal; {Stopped().Match(stdout).Value}");
        Assert.Equal(130, code);
        long saved = long.Parse(Stopped().Match(stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(saved >= 2);
        Assert.Matches($@"iteration\s+.\s+{saved}\b", ProcessRunner.Dflc("model", "info", ws).StdOut);
    }

    [SkippableFact]
    public void An_interrupted_merge_leaves_no_partial_file_and_a_rerun_completes()
    {
        string dir = data.Folder("signal-merge"), video = Path.Combine(dir, "out.mp4");
        string[] args = ["merge", "-w", data.Trained.A, "-i", TestPaths.Media("video/d3.mp4"), "-o", video];
        (int code, string stdout, string stderr, _) = RunAndSignal(args, "INT", s => PercentLine().Matches(s).Any(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10));
        Assert.Equal(130, code);
        Assert.Contains("was not written and no partial file was left", stdout + stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        var again = ProcessRunner.Dflc(args);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(354, Engine.Media.VideoProbe.Probe(video).FrameCount);
    }

    [SkippableFact]
    public void An_interrupted_extraction_leaves_no_temporary_file_and_resumes()
    {
        string dir = data.Folder("signal-extract"), faces = Path.Combine(dir, "faces");
        string[] args = ["extract", "-i", TestPaths.Media("video/d3.mp4"), "-o", faces, "--size", "96"];
        (int code, _, _, _) = RunAndSignal(args, "TERM", s => PercentLine().Matches(s).Any(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10));
        Assert.Equal(130, code);
        Assert.Empty(Directory.GetFiles(dir, "*.dflc-tmp*", SearchOption.AllDirectories));
        Assert.True(Directory.Exists(faces + ".partial"));
        var again = ProcessRunner.Dflc(args);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("(resumed)", again.StdOut, StringComparison.Ordinal);
        Assert.Equal(354, Directory.GetFiles(faces, "*.jpg").Length);
    }

    /// <summary>Starts dflc with default signal dispositions, sends SIG<paramref name="signal"/> once <paramref name="ready"/> holds for its stdout, and waits.</summary>
    private static (int Code, string StdOut, string StdErr, TimeSpan Stopping) RunAndSignal(string[] args, string signal, Func<string, bool> ready)
    {
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--default-signal=INT,TERM", TestPaths.Dflc }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            string now;
            lock (stdout)
            {
                now = stdout.ToString();
            }

            if (ready(now))
            {
                break;
            }

            Thread.Sleep(100);
        }

        Assert.False(p.HasExited, "the job finished before it could be interrupted:\n" + stdout + stderr);
        Assert.Equal(0, ProcessRunner.Run("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        var stopping = Stopwatch.StartNew();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "did not stop within 5 minutes of the signal");
        p.WaitForExit();
        return (p.ExitCode, stdout.ToString(), stderr.ToString(), stopping.Elapsed);
    }

    [GeneratedRegex(@"\[(\d{6})\] \d+ ms/it")]
    private static partial Regex IterationLine();

    [GeneratedRegex(@"Stopped at iteration (\d+) \(interrupted\)")]
    private static partial Regex Stopped();

    [GeneratedRegex(@"PROGRESS (\d+(?:\.\d+)?)%")]
    private static partial Regex PercentLine();
}
