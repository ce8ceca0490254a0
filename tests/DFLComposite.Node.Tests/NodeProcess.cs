using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using DFLComposite.Tests;

namespace DFLComposite.Node.Tests;

/// <summary>A real `dflc serve` on a free port, with its own config (token) and state folders, for the service tests.</summary>
internal sealed partial class NodeProcess : IDisposable
{
    private readonly string _folder;
    private readonly string[] _roots;
    private Process? _process;

    public NodeProcess(string folder, params string[] roots)
    {
        _folder = folder;
        _roots = roots;
        Start();
    }

    public int Port { get; private set; }

    public string Config => Path.Combine(_folder, "config");

    public string State => Path.Combine(_folder, "state");

    public string TokenFile => Path.Combine(Config, "dflcomposite", "token");

    public string Token => File.ReadAllText(TokenFile).Trim();

    public Process Process => _process!;

    public string Url => $"http://127.0.0.1:{Port}";

    public HttpClient Client(string? token = null)
    {
        var c = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(2) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return c;
    }

    /// <summary>Starts the node (again, after <see cref="Kill"/>: the same config, state and port).</summary>
    public void Start()
    {
        var psi = new ProcessStartInfo(TestPaths.Dflc) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["XDG_CONFIG_HOME"] = Config;
        foreach (string a in new[] { "serve", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state", State, "--cancel-timeout", "300" }
                     .Concat(_roots.SelectMany(r => new[] { "--root", r })))
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        var ready = new TaskCompletionSource<int>();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Listening().Match(line) is { Success: true } m)
            {
                ready.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("dflc serve did not say it was listening within 60 s");
        }

        Port = ready.Task.Result;
    }

    /// <summary>SIGKILL: the node dies without a chance to clean up (its job children see it gone and stop).</summary>
    public void Kill()
    {
        _process!.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            ProcessRunner.Run("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!_process.WaitForExit(60_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
    }

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
