using System.Diagnostics;

namespace DFLComposite.Tests;

/// <summary>Runs a command and captures its output, with a timeout so a hung child fails the test.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + "\n" + StdErr;
    }

    public static Result Run(string exe, IEnumerable<string> args, IDictionary<string, string>? env = null, int timeoutMs = 300_000)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["COLUMNS"] = "200";
        foreach (var kv in env ?? new Dictionary<string, string>())
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Dflc(params string[] args) => Run(TestPaths.Dflc, args);

    /// <summary>Runs a command and returns its stdout as bytes (a decoder's raw output); fails on a non-zero exit.</summary>
    public static byte[] RunBytes(string exe, IEnumerable<string> args, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        using var bytes = new MemoryStream();
        Task copy = p.StandardOutput.BaseStream.CopyToAsync(bytes);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }

        copy.Wait();
        Assert.True(p.ExitCode == 0, $"{exe} exited {p.ExitCode}: {stderr.Result}");
        return bytes.ToArray();
    }
}
