using System.Collections.Concurrent;
using System.Diagnostics;

namespace DFLComposite.Engine.Diagnostics;

/// <summary>
/// Where the time of a run goes, stage by stage (decode, detect, mesh, warp, model, blend, encode ...), for
/// <c>dflc bench extract|merge --profile</c>. Ambient for the run (an <see cref="AsyncLocal{T}"/> that flows into the
/// run's worker tasks, so two runs in one process keep their own): code marks a stage with
/// <c>using (StageTimes.Measure("detect"))</c>, which costs one null check when nobody is profiling.
/// </summary>
public sealed class StageTimes
{
    private static readonly AsyncLocal<StageTimes?> Ambient = new();
    private readonly ConcurrentDictionary<string, Counter> _stages = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    /// <summary>The profile being collected by this run, if any.</summary>
    public static StageTimes? Current => Ambient.Value;

    /// <summary>Collects into a new profile for the rest of this async flow.</summary>
    public static StageTimes Start()
    {
        var times = new StageTimes();
        Ambient.Value = times;
        return times;
    }

    public static void Stop() => Ambient.Value = null;

    public static Scope Measure(string stage) => new(Current, stage);

    public TimeSpan Wall => _wall.Elapsed;

    /// <summary>Stage, total time, calls; in the order stages were first seen.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Total, long Calls)> Stages =>
        _stages.OrderBy(kv => kv.Value.Order).Select(kv => (kv.Key, TimeSpan.FromTicks(kv.Value.Ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency), kv.Value.Calls)).ToArray();

    public void Add(string stage, long stopwatchTicks)
    {
        Counter c = _stages.GetOrAdd(stage, _ => new Counter(_stages.Count));
        Interlocked.Add(ref c.Ticks, stopwatchTicks);
        Interlocked.Increment(ref c.Calls);
    }

    /// <summary>A table: stage, ms per frame, share of all measured time.</summary>
    public IEnumerable<string> Table(long frames)
    {
        var rows = Stages;
        double sum = rows.Sum(r => r.Total.TotalMilliseconds);
        yield return $"{"stage",-26} {"ms/frame",9} {"calls",7} {"share",6}";
        foreach ((string stage, TimeSpan total, long calls) in rows)
        {
            yield return FormattableString.Invariant($"{stage,-26} {total.TotalMilliseconds / Math.Max(1, frames),9:F2} {calls,7} {100 * total.TotalMilliseconds / Math.Max(1e-9, sum),5:F1}%");
        }

        yield return FormattableString.Invariant($"{"(sum of stages)",-26} {sum / Math.Max(1, frames),9:F2}");
        yield return FormattableString.Invariant($"{"(wall clock)",-26} {Wall.TotalMilliseconds / Math.Max(1, frames),9:F2}   ({Environment.ProcessorCount} cores: stages overlap)");
    }

    private sealed class Counter(int order)
    {
        public readonly int Order = order;
        public long Ticks;
        public long Calls;
    }

    /// <summary>Adds the time until it is disposed to its stage (nothing when no profile is being collected).</summary>
    public readonly struct Scope(StageTimes? times, string stage) : IDisposable
    {
        private readonly long _start = times is null ? 0 : Stopwatch.GetTimestamp();

        public void Dispose() => times?.Add(stage, Stopwatch.GetTimestamp() - _start);
    }
}
