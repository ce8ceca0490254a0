using System.Diagnostics;
using DFLComposite.Tests;

namespace DFLComposite.Node.Tests;

/// <summary>
/// A one-node Slurm cluster for the farm tests, stood up by tests/farm/slurm-up.sh in a temporary folder (munged as
/// the munge user, slurmctld and slurmd as root, no accounting) and stopped by the pids the script printed.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly List<int> _pids = [];
    private readonly string? _skip;

    public SlurmCluster()
    {
        var up = ProcessRunner.Run("bash", [Path.Combine(TestPaths.RepoRoot, "tests", "farm", "slurm-up.sh"), _temp.File("cluster")], timeoutMs: 600_000);
        if (up.ExitCode == 77)
        {
            _skip = "Slurm cannot be installed here: " + up.StdErr.Trim();
            return;
        }

        Assert.True(up.ExitCode == 0, "slurm-up.sh failed: " + up.All);
        foreach (string line in up.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("SLURM_CONF=", StringComparison.Ordinal))
            {
                Conf = line["SLURM_CONF=".Length..];
            }
            else if (line.StartsWith("PIDS=", StringComparison.Ordinal))
            {
                _pids.AddRange(line["PIDS=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
    }

    public string Conf { get; } = "";

    /// <summary>Where `dflc farm` keeps its submissions during the tests.</summary>
    public string State => _temp.File("state");

    /// <summary>Skips the test when Slurm could not be installed (no apt, not root); on CI (CI=true), where set-up installs it, fails instead.</summary>
    public void RequireUp()
    {
        Assert.False(_skip is not null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), _skip);
        Skip.If(_skip is not null, _skip);
    }

    public Dictionary<string, string> Env => new() { ["SLURM_CONF"] = Conf, ["XDG_STATE_HOME"] = State };

    internal ProcessRunner.Result Dflc(params string[] args) => ProcessRunner.Run(TestPaths.Dflc, args, Env);

    internal ProcessRunner.Result Tool(string exe, params string[] args) => ProcessRunner.Run(exe, args, Env, 60_000);

    /// <summary>Waits until none of these jobs is pending or running (squeue no longer lists them).</summary>
    public void WaitFor(TimeSpan limit, params string[] jobs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var q = Tool("squeue", "-h", "-j", string.Join(',', jobs), "-o", "%i %T");
            if (q.ExitCode == 0 && q.StdOut.Trim().Length == 0)
            {
                return;
            }

            Thread.Sleep(1000);
        }

        throw new TimeoutException($"Slurm jobs {string.Join(',', jobs)} still queued after {limit}: {Tool("squeue").StdOut}");
    }

    public void Dispose()
    {
        // slurmd and slurmctld first, munged last; each by the pid the script printed
        foreach (int pid in Enumerable.Reverse(_pids))
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
                p.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        _temp.Dispose();
    }
}
