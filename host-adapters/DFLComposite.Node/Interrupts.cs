using System.Runtime.InteropServices;
using DFLComposite.Engine.IO;

namespace DFLComposite.Node;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (a farm's kill, the service's cancel) for the whole process: the first signal cancels
/// the running job, which finishes or abandons its current step, saves (training writes the checkpoint of its last
/// completed iteration), removes partial outputs and exits 130 — however long that takes. A second signal stops at
/// once, removes the temporary files still open and says what was not saved.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;
    private Timer? _watch;

    public Interrupts() => _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];

    public CancellationToken Token => _cts.Token;

    /// <summary>Stops the job as a first SIGTERM would (the reason is printed), e.g. when the node that started it is gone.</summary>
    public void Trigger(string reason)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Console.Error.WriteLine($"dflc: {reason}: stopping after the current step and saving.");
            _ = Task.Run(_cts.Cancel);
        }
    }

    /// <summary>Stops the job when process <paramref name="parent"/> ends (checked twice a second).</summary>
    public void WatchParent(int parent)
    {
        var timer = new Timer(_ =>
        {
            if (!Service.Signals.Alive(parent))
            {
                Trigger($"the node that started this job (process {parent}) is gone");
            }
        });
        timer.Change(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        _watch = timer;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we decide when the process ends
        string name = context.Signal == PosixSignal.SIGINT ? "Ctrl+C (SIGINT)" : "SIGTERM";
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Console.Error.WriteLine($"dflc: {name}: stopping after the current step and saving; send it again to stop at once without saving.");
            // cancellation callbacks run on this thread otherwise; the signal thread must return quickly
            _ = Task.Run(_cts.Cancel);
            return;
        }

        int removed = TempFiles.DeleteAll();
        Console.Error.WriteLine($"dflc: {name} again: stopped at once. Not saved: the step in progress and anything since the last save " +
            $"(a training keeps its last checkpoint; an output being written was removed{(removed > 0 ? $", {removed} temporary file(s)" : "")}).");
        Environment.Exit(130);
    }

    public void Dispose()
    {
        _watch?.Dispose();
        foreach (PosixSignalRegistration r in _registrations)
        {
            r.Dispose();
        }

        _cts.Dispose();
    }
}
