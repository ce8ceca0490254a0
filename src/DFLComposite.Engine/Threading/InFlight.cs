namespace DFLComposite.Engine.Threading;

/// <summary>Worker tasks still running (counted, not kept: a kept task would keep its frame alive).</summary>
internal sealed class InFlight
{
    private int _running;

    public Task<T> Run<T>(Func<T> work, CancellationToken ct)
    {
        Interlocked.Increment(ref _running);
        Task<T> task = Task.Run(work, ct);
        // a task cancelled before it started never runs; either way the count drops once it is done
        _ = task.ContinueWith(_ => Interlocked.Decrement(ref _running), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    public async Task IdleAsync()
    {
        while (Volatile.Read(ref _running) > 0)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
