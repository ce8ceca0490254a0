using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Settings;
using Spectre.Console;

namespace DFLComposite.Node.Jobs;

/// <summary>Runs a job for the CLI: the engine's <see cref="JobRunner"/>, with progress on the terminal and the result in lines.</summary>
internal static class JobExecution
{
    public static async Task<int> RunAsync(ParseResult r, JobSpec job, JobBinder? binder, CancellationToken ct)
    {
        using var loggers = GlobalOptions.LoggerFactory(r);
        using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
        var runner = new JobRunner(new JobContext(catalog, loggers));
        JobResult result;
        try
        {
            JobValidationException.ThrowIf(runner.Validate(job));
            result = job.Kind is "train" or "xseg-train"
                ? await runner.RunAsync(job, new InlineProgress<JobProgress>(p => Console.Out.WriteLine(p.Message)), ct).ConfigureAwait(false)
                : await ProgressView.RunAsync(job.Kind, report => runner.RunAsync(job, new InlineProgress<JobProgress>(p => report(p.Fraction, Detail(job, p))), ct)).ConfigureAwait(false);
        }
        catch (JobValidationException ex) when (ex.Source is null)
        {
            throw new CliUsageException(CliErrors.Render(ex, binder));
        }

        Print(result);
        return result.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
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
