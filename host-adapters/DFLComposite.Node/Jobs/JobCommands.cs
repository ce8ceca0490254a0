using System.CommandLine;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Node.Jobs;

/// <summary>
/// The job commands (extract, train, merge ...): each is its job kind's declared fields as flags, plus
/// <c>--print-job</c>, and its action builds the spec and hands it to the engine's <see cref="JobRunner"/> — the CLI is
/// the first adapter over the job layer and holds no pipeline of its own.
/// </summary>
internal static class JobCommands
{
    public static readonly Option<bool> PrintJob = new("--print-job")
    {
        Description = "Print the job (JSON) this command line stands for, with absolute paths, and exit; `dflc run <file>` runs it.",
    };

    /// <param name="adjust">Changes to the bound spec a command makes from its own extra options.</param>
    public static Command Create(string name, string description, Type spec, string[]? omit = null, Func<ParseResult, JobSpec, JobSpec>? adjust = null, IEnumerable<Option>? extra = null)
    {
        var binder = new JobBinder(spec, omit ?? []);
        var command = new Command(name, description);
        foreach (Option o in binder.Options.Concat(extra ?? []))
        {
            command.Options.Add(o);
        }

        command.Options.Add(PrintJob);
        command.SetAction(async (r, ct) =>
        {
            JobSpec job;
            try
            {
                (job, IReadOnlyList<FieldError> unreadable) = binder.Bind(r);
                job = adjust?.Invoke(r, job) ?? job;
                var bad = unreadable.Select(e => e.Path).ToHashSet();
                JobValidationException.ThrowIf(unreadable.Concat(JobJson.Validate(job).Where(e => !bad.Contains(e.Path))));
            }
            catch (JobValidationException ex) when (ex.Source is null)
            {
                throw new CliUsageException(CliErrors.Render(ex, binder));
            }

            job = JobPaths.Resolve(job, Environment.CurrentDirectory);
            if (r.GetValue(PrintJob))
            {
                Console.Out.WriteLine(JobJson.Serialize(job));
                return ExitCodes.Ok;
            }

            return await JobExecution.RunAsync(r, job, binder, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary><c>dflc run &lt;job.json&gt;</c>: any job file, paths relative to the file.</summary>
    public static Command Run()
    {
        var file = new Argument<string>("job") { Description = $"A job file (JSON, at most {JobJson.MaxBytes / 1024} KiB): \"kind\" is one of {string.Join(", ", JobKinds.Names)}; relative paths are relative to the file." };
        var command = new Command("run", "Run a job file: the JSON that --print-job prints, that the service takes, that farms submit.") { file };
        command.SetAction(async (r, ct) => await JobExecution.RunAsync(r, JobJson.Load(r.GetValue(file)!), null, ct).ConfigureAwait(false));
        return command;
    }
}

/// <summary>A usage error already worded for the command line (flags, not JSON paths); exit 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>Job errors in command-line words: a field becomes its flag; errors from a file keep the file and JSON path.</summary>
internal static class CliErrors
{
    public static string Render(JobValidationException ex, JobBinder? binder)
    {
        if (ex.Source is not null || binder is null)
        {
            return ex.Message;
        }

        return string.Join(Environment.NewLine + "dflc: ", ex.Errors.Select(e =>
            binder.FlagOf(e.Path) is { } flag ? $"{flag}: {e.Message}" : e.ToString()));
    }
}
