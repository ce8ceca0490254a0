using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Settings;
using Spectre.Console;

namespace DFLComposite.Node.Jobs;

/// <summary>
/// Runs a job for the CLI: the engine's <see cref="JobRunner"/>, with progress as the caller asked —
/// <c>text</c> (a bar on a terminal, PROGRESS lines in a pipe; training prints one line per report), <c>json</c> (one
/// object per line: the node's child processes) or <c>openjd</c> (Open Job Description's progress lines).
/// </summary>
internal static class JobExecution
{
    public static async Task<int> RunAsync(ParseResult r, JobSpec job, JobBinder? binder, CancellationToken ct)
    {
        using var loggers = GlobalOptions.LoggerFactory(r);
        using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
        var runner = new JobRunner(new JobContext(catalog, loggers) { PreviewFile = r.GetValue(GlobalOptions.PreviewFile) });
        string format = r.GetValue(GlobalOptions.ProgressFormat) ?? "text";
        JobResult result;
        try
        {
            JobValidationException.ThrowIf(runner.Validate(job));
            result = format switch
            {
                "json" => await runner.RunAsync(job, new InlineProgress<JobProgress>(Json), ct).ConfigureAwait(false),
                "openjd" => await runner.RunAsync(job, OpenJd(), ct).ConfigureAwait(false),
                _ when job.Kind is "train" or "xseg-train" => await runner.RunAsync(job, new InlineProgress<JobProgress>(p => Console.Out.WriteLine(p.Message)), ct).ConfigureAwait(false),
                _ => await ProgressView.RunAsync(job.Kind, report => runner.RunAsync(job, new InlineProgress<JobProgress>(p => report(p.Fraction, Detail(job, p))), ct)).ConfigureAwait(false),
            };
        }
        catch (JobValidationException ex) when (ex.Source is null)
        {
            throw new CliUsageException(CliErrors.Render(ex, binder));
        }

        if (format == "json")
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { type = "result", outputs = result.Outputs, summary = result.Summary, interrupted = result.Interrupted }));
        }
        else
        {
            Print(result);
        }

        return result.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    private static void Json(JobProgress p) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(new { type = "progress", stage = p.Stage, fraction = Math.Round(p.Fraction, 4), message = p.Message, preview = p.PreviewPath }));

    // Open Job Description runtimes read "openjd_progress: <percent>" and "openjd_status: <text>" lines from stdout.
    private static InlineProgress<JobProgress> OpenJd()
    {
        double last = -1;
        return new InlineProgress<JobProgress>(p =>
        {
            double percent = Math.Round(p.Fraction * 100, 1);
            if (percent != last)
            {
                last = percent;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"openjd_progress: {percent}"));
                Console.Out.WriteLine($"openjd_status: {p.Stage}: {p.Message}");
            }
        });
    }

    // A swap goes through several stages; other jobs have one.
    private static string Detail(JobSpec job, JobProgress p) => job is SwapJob ? $"{p.Stage}: {p.Message}" : p.Message;

    private static void Print(JobResult result)
    {
        if (result.Details is ExtractResult extract)
        {
            var table = new Table().AddColumns("input", "frames", "with a face", "faces");
            foreach (SourceSummary s in extract.Sources)
            {
                table.AddRow(Markup.Escape(s.Path), s.Frames.ToString(), s.Frames == 0 ? "-" : $"{s.FramesWithFaces} ({100.0 * s.FramesWithFaces / s.Frames:F1}%)", s.Faces.ToString());
            }

            AnsiConsole.Write(table);
        }

        foreach (string line in result.Summary)
        {
            Console.Out.WriteLine(line);
        }
    }
}
