using System.Diagnostics;
using Spectre.Console;

namespace DFLComposite.Node;

/// <summary>
/// Progress for long work: a Spectre.Console bar with ETA on a terminal; on a farm or in a pipe (stdout
/// redirected) plain lines <c>PROGRESS &lt;percent&gt;% &lt;detail&gt;</c> at most every two seconds, which farm
/// managers parse.
/// </summary>
internal static class ProgressView
{
    public static async Task<T> RunAsync<T>(string title, Func<Action<double, string>, Task<T>> work)
    {
        if (Console.IsOutputRedirected)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan last = TimeSpan.FromSeconds(-10);
            T result = await work((fraction, detail) =>
            {
                if (clock.Elapsed - last >= TimeSpan.FromSeconds(2) || fraction >= 1)
                {
                    last = clock.Elapsed;
                    Console.Out.WriteLine(FormattableString.Invariant($"PROGRESS {fraction * 100:F1}% {detail}"));
                }
            }).ConfigureAwait(false);
            Console.Out.WriteLine(FormattableString.Invariant($"PROGRESS 100.0% done in {clock.Elapsed.TotalSeconds:F1} s"));
            return result;
        }

        T? value = default;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                value = await work((fraction, detail) =>
                {
                    task.Value = Math.Clamp(fraction, 0, 1);
                    task.Description = Markup.Escape($"{title}: {detail}");
                }).ConfigureAwait(false);
                task.Value = 1;
            }).ConfigureAwait(false);
        return value!;
    }
}
