using System.Collections.Concurrent;
using System.Threading.Channels;

namespace DFLComposite.Node.Service;

/// <summary>
/// Live job events for WebSocket subscribers (progress, state changes, log lines, preview updates), in the order they
/// happen. A subscriber that falls far behind loses the oldest progress events, never state changes (which the store
/// also has, so a reconnecting client reads the job's state first).
/// </summary>
internal sealed class JobEvents
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<string>, byte>> _subscribers = new();

    public Channel<string> Subscribe(string job)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers.GetOrAdd(job, _ => new()).TryAdd(channel, 0);
        return channel;
    }

    public void Unsubscribe(string job, Channel<string> channel)
    {
        if (_subscribers.TryGetValue(job, out var set))
        {
            set.TryRemove(channel, out _);
        }
    }

    public void Publish(string job, string json)
    {
        if (_subscribers.TryGetValue(job, out var set))
        {
            foreach (Channel<string> c in set.Keys)
            {
                c.Writer.TryWrite(json);
            }
        }
    }

    /// <summary>Tells subscribers the job's events are over (after its final state).</summary>
    public void Complete(string job)
    {
        if (_subscribers.TryRemove(job, out var set))
        {
            foreach (Channel<string> c in set.Keys)
            {
                c.Writer.TryComplete();
            }
        }
    }
}
