using System.Diagnostics;
using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>
/// The built bundle and the test host (compiled once per test run from tests/ofx-test-host with build.sh), and a
/// way to run the host with a given environment and read its JSON.
/// </summary>
public sealed class OfxHarness
{
    private static readonly Lazy<OfxHarness> Instance = new(() => new OfxHarness());

    private OfxHarness()
    {
        RepoRoot = FindRepoRoot();
        Bundle = Path.Combine(RepoRoot, "artifacts", "ofx", "DFLComposite.ofx.bundle");
        Binary = Path.Combine(Bundle, "Contents", "Linux-x86-64", "DFLComposite.ofx");
        Assert.True(File.Exists(Binary), $"{Binary} is missing: `dotnet build DFLComposite.sln -c Release` (or scripts/setup.sh) builds it.");
        WorkDir = Directory.CreateTempSubdirectory("dflc-ofx-tests-").FullName;
        HostExe = Path.Combine(WorkDir, "ofx-test-host");
        Run("bash", [Path.Combine(RepoRoot, "tests", "ofx-test-host", "build.sh"), HostExe], null, 120_000, out string err, out int code);
        Assert.True(code == 0, "building the test host failed:\n" + err);
    }

    public static OfxHarness Shared => Instance.Value;

    public string RepoRoot { get; }

    public string Bundle { get; }

    public string Binary { get; }

    public string WorkDir { get; }

    public string HostExe { get; }

    /// <summary>A fresh config folder with no node.json: the node is "not running".</summary>
    public string EmptyConfig() => Directory.CreateTempSubdirectory("dflc-ofx-noconfig-").FullName;

    /// <summary>Runs the test host; asserts it exits 0 and prints JSON.</summary>
    public JsonDocument RunHost(IReadOnlyList<string> args, IDictionary<string, string> env, int timeoutMs = 120_000)
    {
        string stdout = Run(HostExe, args, env, timeoutMs, out string stderr, out int code);
        Assert.True(code == 0, $"ofx-test-host {string.Join(' ', args)} exited {code}\nstdout: {stdout}\nstderr: {stderr}");
        try
        {
            return JsonDocument.Parse(stdout);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"not JSON ({e.Message}):\n{stdout}\n{stderr}", e);
        }
    }

    public static string Run(string exe, IEnumerable<string> args, IDictionary<string, string>? env, int timeoutMs, out string stderr, out int exitCode)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var kv in env ?? new Dictionary<string, string>())
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> err = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }

        p.WaitForExit();
        stderr = err.Result;
        exitCode = p.ExitCode;
        return stdout.Result;
    }

    private static string FindRepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DFLComposite.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("DFLComposite.sln not found above " + AppContext.BaseDirectory);
    }
}
