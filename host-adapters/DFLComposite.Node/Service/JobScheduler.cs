using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Service;

/// <summary>
/// Runs the queue: up to <c>slots</c> jobs at once, each in its own `dflc run` child process, so a native crash fails
/// that job (with its signal or exit code) and never the node. The child reports progress as JSON lines; its stderr
/// goes to the job's log. Cancel sends SIGTERM (the job saves and stops) and kills only after a generous limit. Jobs
/// that were running when the node died are resumed on start (training from its checkpoint, extraction from its
/// journal, a merge from the start: its output is only ever written whole).
/// </summary>
internal sealed class JobScheduler : IAsyncDisposable
{
    private readonly JobStore _store;
    private readonly JobEvents _events;
    private readonly ServeOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, RunningJob> _running = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public JobScheduler(JobStore store, JobEvents events, ServeOptions options, ILogger log)
    {
        (_store, _events, _options, _log) = (store, events, options, log);
        Directory.CreateDirectory(LogFolder);
        Directory.CreateDirectory(SpecFolder);
        Directory.CreateDirectory(PreviewFolder);
    }

    public string LogFolder => Path.Combine(_options.State, "logs");

    private string SpecFolder => Path.Combine(_options.State, "jobs");

    private string PreviewFolder => Path.Combine(_options.State, "previews");

    public int Running => _running.Count;

    public string LogOf(string id) => Path.Combine(LogFolder, id + ".log");

    public void Start()
    {
        foreach (JobRecord job in _store.Running())
        {
            if (job.Pid is { } pid && Signals.Alive(pid))
            {
                // a child of the node that died: it stops itself when it sees its parent gone; make sure
                Signals.Send(pid, Signals.SIGTERM);
                for (int i = 0; i < 600 && Signals.Alive(pid); i++)
                {
                    Thread.Sleep(100);
                }
            }

            Note(job.Id, "the node stopped while this job ran; resuming it (training from its last checkpoint, extraction from its journal, a merge from the start)");
            _store.Requeue(job.Id);
        }

        _loop = Task.Run(LoopAsync);
    }

    public void Wake() => _wake.Release();

    /// <summary>Cancels a queued job at once, or asks a running one to stop (it saves first).</summary>
    public bool Cancel(string id)
    {
        if (_running.TryGetValue(id, out RunningJob? r))
        {
            r.CancelRequested = true;
            r.CancelledAt = Stopwatch.StartNew();
            Note(id, "cancel requested: asking the job to stop (SIGTERM); it saves first");
            Signals.Terminate(r.Process);
            _ = Task.Run(async () =>
            {
                if (!await WaitAsync(r.Process, _options.CancelTimeout).ConfigureAwait(false))
                {
                    Note(id, $"the job did not stop within {_options.CancelTimeout.TotalSeconds:F0} s of the cancel; killing it (work since its last save is lost)");
                    r.Process.Kill(entireProcessTree: true);
                }
            });
            return true;
        }

        JobRecord? job = _store.Get(id);
        if (job is { State: JobStates.Queued })
        {
            _store.Finish(id, JobStates.Cancelled, [], null, null);
            Publish(id, new JsonObject { ["type"] = "state", ["state"] = JobStates.Cancelled });
            _events.Complete(id);
            return true;
        }

        return false;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            while (_running.Count < _options.Slots && _store.Queued() is [var next, ..])
            {
                try
                {
                    StartJob(next);
                }
                catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
                {
                    _log.LogError(ex, "could not start job {Id}", next.Id);
                    _store.Finish(next.Id, JobStates.Failed, [], $"the node could not start the job: {ex.Message}", ExitCodes.Failure);
                    Publish(next.Id, new JsonObject { ["type"] = "state", ["state"] = JobStates.Failed });
                }
            }

            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void StartJob(JobRecord job)
    {
        string spec = Path.Combine(SpecFolder, job.Id + ".json");
        File.WriteAllText(spec, job.Spec);
        string preview = Path.Combine(PreviewFolder, job.Id + ".png");
        var psi = new ProcessStartInfo(_options.Dflc) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[]
        {
            "run", spec, "--progress-format", "json", "--watch-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--preview-file", preview,
        }.Concat(_options.ChildArguments))
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("dflc did not start");
        var running = new RunningJob(job.Id, process);
        _running[job.Id] = running;
        _store.Started(job.Id, process.Id);
        Note(job.Id, $"started as process {process.Id}: {_options.Dflc} run {spec}");
        Publish(job.Id, new JsonObject { ["type"] = "state", ["state"] = JobStates.Running });
        running.Pump = Task.Run(() => PumpAsync(running));
    }

    private async Task PumpAsync(RunningJob job)
    {
        Task errors = Task.Run(async () =>
        {
            while (await job.Process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                job.Errors.Add(line);
                Append(job.Id, line);
                Publish(job.Id, new JsonObject { ["type"] = "log", ["line"] = line });
            }
        });
        while (await job.Process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            OnOutput(job, line);
        }

        await errors.ConfigureAwait(false);
        await job.Process.WaitForExitAsync().ConfigureAwait(false);
        Finish(job);
    }

    private void OnOutput(RunningJob job, string line)
    {
        JsonNode? node = null;
        try
        {
            node = line.StartsWith('{') ? JsonNode.Parse(line) : null;
        }
        catch (JsonException)
        {
        }

        if (node is null)
        {
            Append(job.Id, line);
            return;
        }

        switch ((string?)node["type"])
        {
            case "progress":
                string stage = (string?)node["stage"] ?? "";
                double fraction = (double?)node["fraction"] ?? 0;
                double? eta = job.Eta(stage, fraction);
                string? preview = (string?)node["preview"];
                node["eta"] = eta;
                if (job.ShouldStore())
                {
                    _store.Progress(job.Id, stage, fraction, (string?)node["message"] ?? "", preview, eta);
                }

                _events.Publish(job.Id, node.ToJsonString());
                if (preview is not null)
                {
                    Publish(job.Id, new JsonObject { ["type"] = "preview", ["url"] = $"/v1/jobs/{job.Id}/preview.png" });
                }

                break;
            case "result":
                job.Result = node;
                Append(job.Id, string.Join('\n', node["summary"]?.AsArray().Select(s => (string?)s) ?? []));
                break;
        }
    }

    private void Finish(RunningJob job)
    {
        int code = job.Process.ExitCode;
        _running.TryRemove(job.Id, out _);
        string[] results = job.Result?["outputs"]?.AsArray().Select(o => (string?)o ?? "").ToArray() ?? [];
        if (_stop.IsCancellationRequested && !job.CancelRequested && code == ExitCodes.Interrupted)
        {
            // the node itself is stopping: the job saved; it resumes when the node starts again
            Note(job.Id, "the node stopped; the job saved its work and will resume when the node starts again");
            _store.Requeue(job.Id);
            return;
        }

        string state;
        string? error = null;
        if (code == 0)
        {
            state = JobStates.Done;
        }
        else if (code == ExitCodes.Interrupted)
        {
            state = JobStates.Cancelled;
            Note(job.Id, $"stopped {job.CancelledAt?.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "?"} s after the cancel; {job.Result?["summary"]?.AsArray().LastOrDefault()}");
        }
        else if (code > 128 && code < 160)
        {
            int signal = code - 128;
            state = job.CancelRequested ? JobStates.Cancelled : JobStates.Failed;
            error = $"the job's process was killed by signal {signal} ({Signals.Name(signal)}); work since its last save is lost";
        }
        else
        {
            state = JobStates.Failed;
            string[] said = job.Errors.Where(l => l.StartsWith("dflc: ", StringComparison.Ordinal)).Select(l => l[6..]).ToArray();
            error = said.Length > 0 ? string.Join(Environment.NewLine, said) : $"the job exited with code {code}";
        }

        _store.Finish(job.Id, state, results, error, code);
        Note(job.Id, $"{state} (exit code {code}){(error is null ? "" : ": " + error)}");
        Publish(job.Id, new JsonObject { ["type"] = "state", ["state"] = state, ["exitCode"] = code, ["error"] = error, ["results"] = new JsonArray([.. results.Select(r => (JsonNode?)r)]) });
        _events.Complete(job.Id);
        Wake();
    }

    private void Publish(string id, JsonObject message)
    {
        string json = message.ToJsonString();
        if ((string?)message["type"] is "state")
        {
            _store.AddEvent(id, json);
        }

        _events.Publish(id, json);
    }

    private void Note(string id, string text)
    {
        Append(id, "node: " + text);
        Publish(id, new JsonObject { ["type"] = "log", ["line"] = "node: " + text });
    }

    private void Append(string id, string text)
    {
        try
        {
            File.AppendAllText(LogOf(id), $"{DateTimeOffset.Now:O} {text}{Environment.NewLine}");
        }
        catch (IOException ex)
        {
            _log.LogWarning("job {Id} log: {Message}", id, ex.Message);
        }
    }

    private static async Task<bool> WaitAsync(Process p, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops the loop; running jobs are asked to save and stop, and resume on the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (RunningJob r in _running.Values)
        {
            Signals.Terminate(r.Process);
        }

        foreach (RunningJob r in _running.Values.ToArray())
        {
            if (!await WaitAsync(r.Process, _options.CancelTimeout).ConfigureAwait(false))
            {
                r.Process.Kill(entireProcessTree: true);
            }

            if (r.Pump is not null)
            {
                await r.Pump.ConfigureAwait(false);
            }
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private sealed class RunningJob(string id, Process process)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string _stage = "";
        private TimeSpan _stageStart;
        private TimeSpan _lastStore = TimeSpan.FromSeconds(-10);

        public string Id { get; } = id;

        public Process Process { get; } = process;

        public Task? Pump { get; set; }

        public List<string> Errors { get; } = [];

        public JsonNode? Result { get; set; }

        public bool CancelRequested { get; set; }

        public Stopwatch? CancelledAt { get; set; }

        /// <summary>Seconds left in this stage, from its pace so far.</summary>
        public double? Eta(string stage, double fraction)
        {
            if (stage != _stage)
            {
                (_stage, _stageStart) = (stage, _clock.Elapsed);
            }

            double spent = (_clock.Elapsed - _stageStart).TotalSeconds;
            return fraction is > 0.01 and < 1 && spent > 1 ? Math.Round(spent * (1 - fraction) / fraction, 1) : null;
        }

        /// <summary>Progress goes to the store at most twice a second (events go out at once).</summary>
        public bool ShouldStore()
        {
            if (_clock.Elapsed - _lastStore < TimeSpan.FromSeconds(0.5))
            {
                return false;
            }

            _lastStore = _clock.Elapsed;
            return true;
        }
    }
}
