using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Farm;
using DFLComposite.Node.Jobs;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary>
/// <c>dflc farm submit|status|cancel</c>: a merge or mask job cut into chunks of <c>dflc render</c> and handed to a
/// scheduler through its <see cref="IFarmScheduler"/> part (a MEF plugin: slurm ...). What was submitted is kept in
/// the submission folder and, by scheduler id, in the state folder, so status and cancel need only the id.
/// </summary>
internal static partial class FarmCommand
{
    public static Command Create()
    {
        var farm = new Command("farm", "Render a merge or mask job on a render farm: chunks of `dflc render`, then `dflc assemble`.");
        farm.Subcommands.Add(Submit());
        farm.Subcommands.Add(StatusCommand());
        farm.Subcommands.Add(CancelCommand());
        return farm;
    }

    private static Command Submit()
    {
        var scheduler = new Option<string>("--scheduler") { Description = "The farm's scheduler: a farm plugin's name (`dflc plugins` lists them).", Required = true };
        var job = new Option<string>("--job") { Description = "A merge or mask job file whose outputs are folders (as for dflc render); the farm's nodes must see it, and every path in it, at the same place.", Required = true };
        var chunk = new Option<int>("--chunk") { Description = "Frames per chunk (the last chunk is shorter). [1..100000; default 50]", DefaultValueFactory = _ => 50 };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "At most this many chunks at once (default: as many as the farm gives)." };
        var frames = new Option<string?>("--frames") { Description = "Only these frames, A-B (default: the job's frames, else the whole clip); re-submit a failed chunk with its range." };
        var assemble = new Option<string?>("--assemble") { Description = "Then join every frame of the job into this video (.mp4/.mov/.mkv) with dflc assemble, once all chunks succeeded." };
        var codec = new Option<string?>("--codec") { Description = "Codec of the assembled video (as dflc assemble)." };
        codec.AcceptOnlyFromAmong(MergeSettings.Codecs);
        var crf = new Option<int?>("--crf") { Description = "Quality of the assembled h264/h265 video (as dflc assemble)." };
        var partition = new Option<string?>("--partition") { Description = "Partition, pool or queue to run in (default: the scheduler's)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the submission files and print how to submit them; submit nothing." };
        var folder = new Option<string?>("--folder") { Description = "Where the submission files and logs go (default: farm/<job name>-<time> beside the job file)." };
        var dflc = new Option<string?>("--dflc") { Description = "dflc as the farm's nodes find it (default: this dflc, which must be on shared storage)." };
        var command = new Command("submit", "Cut a merge or mask job into chunks of `dflc render --frames A-B` and submit them (with --assemble, and a job that joins them).")
        {
            scheduler, job, chunk, maxParallel, frames, assemble, codec, crf, partition, dryRun, folder, dflc,
        };
        command.SetAction(r =>
        {
            string jobFile = Path.GetFullPath(r.GetValue(job)!);
            if (JobJson.Load(jobFile) is not FrameJob { OutputIsFolder: true } frameJob)
            {
                throw new CliUsageException($"--job: {jobFile} must be a merge or mask job whose outputs are folders (chunks write one image per frame)");
            }

            int size = r.GetValue(chunk);
            if (size is < 1 or > 100_000)
            {
                throw new CliUsageException($"--chunk: {size} is out of range; allowed 1..100000");
            }

            if (r.GetValue(maxParallel) is < 1)
            {
                throw new CliUsageException("--max-parallel: must be 1 or more");
            }

            MergeRange range = Range(r.GetValue(frames), frameJob);
            string name = Name().Replace(Path.GetFileNameWithoutExtension(jobFile), "-");
            string where = Path.GetFullPath(r.GetValue(folder) ?? Path.Combine(Path.GetDirectoryName(jobFile)!, "farm", $"{name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"));
            Directory.CreateDirectory(where);
            var assembleArgs = new List<string>();
            if (r.GetValue(codec) is { } c)
            {
                assembleArgs.AddRange(["--codec", c]);
            }

            if (r.GetValue(crf) is { } q)
            {
                assembleArgs.AddRange(["--crf", q.ToString(CultureInfo.InvariantCulture)]);
            }

            var request = new FarmRequest(jobFile, Path.GetFullPath(r.GetValue(dflc) ?? Environment.ProcessPath!), range.First, range.Last, size, r.GetValue(maxParallel),
                r.GetValue(assemble) is { } a ? Path.GetFullPath(a) : null, assembleArgs, r.GetValue(partition), where, name, GlobalOptions.ForwardedToJobs(r));
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            IFarmScheduler part = catalog.Create<IFarmScheduler>(r.GetValue(scheduler)!);
            FarmSubmission submission = part.Prepare(request);
            int chunks = request.Chunks().Count();
            if (r.GetValue(dryRun) || !part.CanSubmit)
            {
                Save(submission, null);
                Console.Out.WriteLine($"Wrote {string.Join(", ", submission.Files)} into {where}: frames {range.First}-{range.Last} in {chunks} chunks of {size}{(request.Assemble is null ? "" : $", then assemble {request.Assemble}")}.");
                Console.Out.WriteLine($"Submit with: {submission.SubmitCommand}");
                return ExitCodes.Ok;
            }

            submission = part.Submit(submission);
            Save(submission, submission.Id);
            Console.Out.WriteLine($"Submitted frames {range.First}-{range.Last} in {chunks} chunks of {size} to {submission.Scheduler}: id {submission.Id}" +
                (submission.AssembleId is null ? "" : $", assemble {submission.AssembleId} after them") + $"; logs in {Path.Combine(where, "logs")}.");
            Console.Out.WriteLine($"Follow with: dflc farm status {submission.Id}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command StatusCommand()
    {
        var id = new Argument<string>("id") { Description = "The id `dflc farm submit` printed." };
        var command = new Command("status", "Show each chunk's state and exit code and the assemble job's; failed chunks are named with the command that re-submits them.") { id };
        command.SetAction(r =>
        {
            (FarmSubmission s, IFarmScheduler part, IDisposable owner) = Open(r, r.GetValue(id)!);
            using (owner)
            {
                FarmStatus status = part.Status(s);
                var table = new Table().AddColumns("chunk", "frames", "state", "exit", "log");
                foreach (FarmChunkStatus c in status.Chunks)
                {
                    table.AddRow(c.First.ToString(CultureInfo.InvariantCulture), $"{c.First}-{c.Last}", c.State, c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", Markup.Escape(c.Log ?? ""));
                }

                AnsiConsole.Write(table);
                int done = status.Chunks.Count(c => c.State == "COMPLETED");
                Console.Out.WriteLine($"chunks: {done} of {status.Chunks.Count} completed");
                foreach (FarmChunkStatus c in status.Chunks.Where(c => c.State.StartsWith("FAILED", StringComparison.Ordinal) || c.State.StartsWith("CANCELLED", StringComparison.Ordinal) || c.State == "TIMEOUT" || c.State == "NODE_FAIL" || c.State == "OUT_OF_MEMORY"))
                {
                    Console.Out.WriteLine($"failed chunk: frames {c.First}-{c.Last} {c.State.ToLowerInvariant()} (exit {c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}{Meaning(c.ExitCode)}){(c.Log is null ? "" : $"; log {c.Log}")}");
                }

                if (status.AssembleState is { } a)
                {
                    bool ran = !a.StartsWith("PENDING", StringComparison.Ordinal) && !a.StartsWith("CANCELLED", StringComparison.Ordinal);
                    Console.Out.WriteLine($"assemble: {a}{(status.AssembleExitCode is { } code && ran ? $", exit {code}" : "")} -> {s.Request.Assemble}");
                }

                if (status.Chunks.Any(c => c.State.StartsWith("FAILED", StringComparison.Ordinal)))
                {
                    FarmChunkStatus f = status.Chunks.First(c => c.State.StartsWith("FAILED", StringComparison.Ordinal));
                    Console.Out.WriteLine($"re-submit a failed chunk: dflc farm submit --scheduler {s.Scheduler} --job {s.Request.JobFile} --frames {f.First}-{f.Last} --chunk {s.Request.Chunk}" +
                        (s.Request.Assemble is null ? "" : $" --assemble {s.Request.Assemble}"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CancelCommand()
    {
        var id = new Argument<string>("id") { Description = "The id `dflc farm submit` printed." };
        var command = new Command("cancel", "Cancel every chunk and the assemble job; running chunks keep the frames they finished and exit 130.") { id };
        command.SetAction(r =>
        {
            (FarmSubmission s, IFarmScheduler part, IDisposable owner) = Open(r, r.GetValue(id)!);
            using (owner)
            {
                part.Cancel(s);
            }

            Console.Out.WriteLine($"Cancelled {s.Id}{(s.AssembleId is null ? "" : $" and {s.AssembleId}")} ({s.Scheduler}); frames already written are kept.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Meaning(int? code) => code switch
    {
        ExitCodes.BadInput => ": bad input",
        ExitCodes.NoFace => ": no face",
        ExitCodes.WriteFailed => ": could not write",
        ExitCodes.SetupIncomplete => ": set-up incomplete on the node",
        ExitCodes.Interrupted => ": cancelled, finished frames kept",
        _ => "",
    };

    private static MergeRange Range(string? frames, FrameJob job)
    {
        if ((frames ?? job.Frames) is { } text)
        {
            return MergeRange.TryParse(text, 0, out MergeRange range) ? range : throw new CliUsageException($"--frames: '{text}' is not a frame range; use A-B or A");
        }

        if (ImageIO.IsImage(job.Input))
        {
            throw new CliUsageException($"--job: {job.Input} is a still; a farm renders video frames");
        }

        return new MergeRange(0, VideoProbe.Probe(job.Input).FrameCount - 1, 0);
    }

    private static string Records => Path.Combine(Service.NodePaths.StateFolder(), "farm");

    // The submission beside its files, and by id in the state folder for status and cancel.
    private static void Save(FarmSubmission s, string? id)
    {
        string json = JsonSerializer.Serialize(s, JsonOptions);
        Engine.IO.AtomicFile.WriteAllText(Path.Combine(s.Request.Folder, "submission.json"), json);
        if (id is not null)
        {
            Directory.CreateDirectory(Records);
            Engine.IO.AtomicFile.WriteAllText(Path.Combine(Records, $"{s.Scheduler}-{id}.json"), json);
        }
    }

    private static (FarmSubmission, IFarmScheduler, IDisposable) Open(ParseResult r, string id)
    {
        string[] found = Directory.Exists(Records) && !id.Contains('/', StringComparison.Ordinal) && !id.Contains('\\', StringComparison.Ordinal)
            ? Directory.GetFiles(Records, $"*-{id}.json") : [];
        if (found.Length != 1)
        {
            throw new Farm.FarmException(found.Length == 0
                ? $"no farm render with id {id} was submitted from here ({Records}); `dflc farm submit` prints the id"
                : $"id {id} is known to several schedulers: {string.Join(", ", found.Select(Path.GetFileNameWithoutExtension))}");
        }

        FarmSubmission s = JsonSerializer.Deserialize<FarmSubmission>(File.ReadAllText(found[0]), JsonOptions) ?? throw new Farm.FarmException($"{found[0]} is empty");
        var loggers = GlobalOptions.LoggerFactory(r);
        PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
        return (s, catalog.Create<IFarmScheduler>(s.Scheduler), new Owner(catalog, loggers));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed class Owner(params IDisposable[] things) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable t in things)
            {
                t.Dispose();
            }
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex Name();
}
