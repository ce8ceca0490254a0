using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DFLComposite.Farm;

namespace DFLComposite.Plugins.Farm;

/// <summary>
/// Slurm: one job array whose task ids are the chunks' first frames (<c>--array=FIRST-LAST:CHUNK%K</c>), each task
/// running <c>dflc render</c> on its range with one CPU, a log per task (<c>%A_%a.log</c>), <c>--requeue</c>; and an
/// assemble job held by <c>--dependency=afterok:&lt;array&gt;</c> with <c>--kill-on-invalid-dep=yes</c>, so one failed
/// chunk cancels it instead of leaving it pending forever. dflc's exit code is the task's (5 no face, 3 bad input ...
/// mark it FAILED); scancel's SIGTERM makes dflc keep its finished frames and exit 130.
/// </summary>
[PluginExport(typeof(IFarmScheduler), "slurm", "1.0", "Slurm: sbatch job array of dflc render chunks + an afterok assemble job; status and cancel via scontrol/scancel")]
public sealed partial class SlurmScheduler : IFarmScheduler
{
    public bool CanSubmit => true;

    public void Initialize(PluginContext context)
    {
    }

    public FarmSubmission Prepare(FarmRequest request)
    {
        FarmRequest r = request;
        Directory.CreateDirectory(Path.Combine(r.Folder, "logs"));
        var files = new List<string> { "render.sbatch" };
        Shell.WriteAtomic(Path.Combine(r.Folder, "render.sbatch"), RenderScript(r), executable: true);
        if (r.Assemble is not null)
        {
            Shell.WriteAtomic(Path.Combine(r.Folder, "assemble.sbatch"), AssembleScript(r), executable: true);
            files.Add("assemble.sbatch");
        }

        Shell.WriteAtomic(Path.Combine(r.Folder, "submit.sh"), SubmitScript(r), executable: true);
        files.Add("submit.sh");
        return new FarmSubmission("slurm", r, files, Shell.Quote(Path.Combine(r.Folder, "submit.sh")));
    }

    public FarmSubmission Submit(FarmSubmission prepared)
    {
        FarmRequest r = prepared.Request;
        string array = Sbatch([Path.Combine(r.Folder, "render.sbatch")]);
        string? assemble = null;
        if (r.Assemble is not null)
        {
            assemble = Sbatch([$"--dependency=afterok:{array}", "--kill-on-invalid-dep=yes", Path.Combine(r.Folder, "assemble.sbatch")]);
        }

        return prepared with { Id = array, AssembleId = assemble };
    }

    public FarmStatus Status(FarmSubmission submitted)
    {
        FarmSubmission s = submitted;
        FarmRequest r = s.Request;
        string id = s.Id ?? throw new FarmException("this render was not submitted (a dry run); nothing to ask Slurm about");
        var tasks = new Dictionary<long, (string State, int? Code)>();
        foreach (Dictionary<string, string> job in ShowJob(id))
        {
            (string state, int? code) = (job.GetValueOrDefault("JobState", "UNKNOWN"), ExitCode(job));
            foreach (long task in TaskIds(job.GetValueOrDefault("ArrayTaskId", ""), r.Chunk))
            {
                tasks[task] = (state, state is "PENDING" or "RUNNING" or "REQUEUED" ? null : code);
            }
        }

        var chunks = new List<FarmChunkStatus>();
        foreach ((long first, long last) in r.Chunks())
        {
            string log = Path.Combine(r.Folder, "logs", $"{id}_{first}.log");
            (string state, int? code) = tasks.TryGetValue(first, out var t) ? t : FromLog(log);
            if (state.StartsWith("CANCELLED", StringComparison.Ordinal) && FromLog(log).Code is { } logged)
            {
                code = logged; // Slurm reports the signal it sent; dflc's own exit code (130, frames kept) is in the log
            }

            chunks.Add(new FarmChunkStatus(first, last, state, code, File.Exists(log) ? log : null));
        }

        if (s.AssembleId is not { } assemble)
        {
            return new FarmStatus(chunks, null, null, null);
        }

        Dictionary<string, string>? a = ShowJob(assemble).FirstOrDefault();
        string assembleLog = Path.Combine(r.Folder, "logs", $"assemble_{assemble}.log");
        string assembleState = a is null ? FromLog(assembleLog).State : a.GetValueOrDefault("JobState", "UNKNOWN") +
            (a.GetValueOrDefault("Reason") is { } reason and not "None" and not "(null)" ? $" ({reason})" : "");
        return new FarmStatus(chunks, assembleState, a is null ? FromLog(assembleLog).Code : ExitCode(a), File.Exists(assembleLog) ? assembleLog : null);
    }

    public void Cancel(FarmSubmission submitted)
    {
        FarmSubmission s = submitted;
        string[] ids = new[] { s.Id, s.AssembleId }.OfType<string>().ToArray();
        if (ids.Length == 0)
        {
            throw new FarmException("this render was not submitted (a dry run); nothing to cancel");
        }

        (int code, _, string err) = Shell.Run("scancel", ids, "cancelling a Slurm job");
        if (code != 0)
        {
            throw new FarmException($"scancel {string.Join(' ', ids)} failed: {err.Trim()}");
        }
    }

    private static string RenderScript(FarmRequest r)
    {
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine(CultureInfo.InvariantCulture, $"# dflc render chunks of {r.JobFile}: frames {r.First}-{r.Last}, {r.Chunk} per chunk, one array task per chunk.");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=dflc-render-{r.Name}");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array={r.First}-{r.Last}:{r.Chunk}{(r.MaxParallel is { } k ? "%" + k.ToString(CultureInfo.InvariantCulture) : "")}");
        Common(s, r, Path.Combine(r.Folder, "logs", "%A_%a.log"));
        s.AppendLine("#SBATCH --requeue");
        s.AppendLine("#SBATCH --open-mode=append");
        s.AppendLine("set -u");
        s.AppendLine("# The task id is the chunk's first frame (the array steps by the chunk size). SLURM_ARRAY_TASK_MAX is the");
        s.AppendLine("# last task id, not the last frame, so the last chunk is clipped to the render's last frame here.");
        s.AppendLine("first=$SLURM_ARRAY_TASK_ID");
        s.AppendLine(CultureInfo.InvariantCulture, $"last=$(( first + {r.Chunk} - 1 ))");
        s.AppendLine(CultureInfo.InvariantCulture, $"if (( last > {r.Last} )); then last={r.Last}; fi");
        s.AppendLine("echo \"dflc-farm: frames $first-$last on $(hostname -s), attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 ))\"");
        Run(s, [r.Dflc, .. r.DflcArguments, "--threads", "${SLURM_CPUS_PER_TASK:-1}", "render", "--job", r.JobFile, "--frames", "$first-$last"], "frames $first-$last");
        return s.ToString();
    }

    private static string AssembleScript(FarmRequest r)
    {
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine(CultureInfo.InvariantCulture, $"# Joins the chunks of {r.JobFile} into {r.Assemble}; submitted with --dependency=afterok:<array> --kill-on-invalid-dep=yes.");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=dflc-assemble-{r.Name}");
        Common(s, r, Path.Combine(r.Folder, "logs", "assemble_%j.log"));
        s.AppendLine("set -u");
        Run(s, [r.Dflc, .. r.DflcArguments, "assemble", "--job", r.JobFile, "-o", r.Assemble!, .. r.AssembleArguments], "assemble");
        return s.ToString();
    }

    private static void Common(StringBuilder s, FarmRequest r, string output)
    {
        s.AppendLine("#SBATCH --ntasks=1");
        s.AppendLine("#SBATCH --cpus-per-task=1");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={output}");
        if (r.Partition is { } p)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --partition={p}");
        }
    }

    // dflc runs in the background so the shell can pass scancel's SIGTERM on when only the shell got it (scancel
    // --batch), then waits for dflc's own exit code (130 after a cancel, every finished frame kept) and exits with it.
    // Slurm usually signals every process of the step, dflc included, and a second SIGTERM would make dflc stop at once
    // instead of after its current frame: so the shell forwards only if dflc is still running 5 s later.
    private static void Run(StringBuilder s, string[] command, string what)
    {
        string line = string.Join(' ', command.Select(a => a.Contains('$', StringComparison.Ordinal) ? "\"" + a + "\"" : Shell.Quote(a)));
        s.AppendLine(line + " &");
        s.AppendLine("pid=$!");
        s.AppendLine("trap 'sleep 5; kill -TERM $pid 2>/dev/null' TERM");
        s.AppendLine("wait $pid; code=$?");
        s.AppendLine("if (( code > 128 )); then wait $pid; code=$?; fi");
        s.AppendLine(CultureInfo.InvariantCulture, $"echo \"dflc-farm: {what} exited $code\"");
        s.AppendLine("exit $code");
    }

    private static string SubmitScript(FarmRequest r)
    {
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine("# Submits the chunks, then the assemble job that runs only if every chunk succeeds (what `dflc farm submit` does).");
        s.AppendLine("set -euo pipefail");
        s.AppendLine(CultureInfo.InvariantCulture, $"array=$(sbatch --parsable {Shell.Quote(Path.Combine(r.Folder, "render.sbatch"))})");
        s.AppendLine("array=${array%%;*}");
        s.AppendLine("echo \"chunks: job array $array\"");
        if (r.Assemble is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"assemble=$(sbatch --parsable --dependency=afterok:$array --kill-on-invalid-dep=yes {Shell.Quote(Path.Combine(r.Folder, "assemble.sbatch"))})");
            s.AppendLine("echo \"assemble: job ${assemble%%;*}\"");
        }

        return s.ToString();
    }

    private static string Sbatch(IEnumerable<string> args)
    {
        (int code, string stdout, string err) = Shell.Run("sbatch", ["--parsable", .. args], "submitting to Slurm");
        string id = stdout.Trim().Split(';')[0];
        if (code != 0 || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FarmException($"sbatch refused the job: {(err + stdout).Trim()}");
        }

        return id;
    }

    // `scontrol -o show job ID`: one line per record (an array's finished tasks one each, its pending tasks in one).
    private static IEnumerable<Dictionary<string, string>> ShowJob(string id)
    {
        (int code, string stdout, string err) = Shell.Run("scontrol", ["-o", "show", "job", id], "asking Slurm about a job");
        if (code != 0)
        {
            // Slurm forgets a finished job after MinJobAge (no accounting here): the logs still tell
            return err.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? [] : throw new FarmException($"scontrol show job {id} failed: {err.Trim()}");
        }

        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Field().Matches(line).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[2].Value));
    }

    private static int? ExitCode(Dictionary<string, string> job) =>
        job.TryGetValue("ExitCode", out string? e) && int.TryParse(e.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : null;

    /// <summary>Task ids in an ArrayTaskId value: "8", "0,4,8%2", "100-300:50%2".</summary>
    internal static IEnumerable<long> TaskIds(string value, int step)
    {
        foreach (string part in value.Split('%')[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] rangeStep = part.Split(':');
            string[] ends = rangeStep[0].Split('-');
            if (!long.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out long a))
            {
                continue;
            }

            long b = ends.Length > 1 && long.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out long e) ? e : a;
            long by = rangeStep.Length > 1 && long.TryParse(rangeStep[1], NumberStyles.None, CultureInfo.InvariantCulture, out long st) ? st : step;
            for (long t = a; t <= b; t += Math.Max(1, by))
            {
                yield return t;
            }
        }
    }

    // The last "dflc-farm: ... exited N" line of a task's log (what is left once Slurm forgot the job).
    private static (string State, int? Code) FromLog(string log)
    {
        if (!File.Exists(log))
        {
            return ("UNKNOWN", null);
        }

        Match? last = Exited().Matches(File.ReadAllText(log)).LastOrDefault();
        return last is null ? ("UNKNOWN", null)
            : int.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture) is var code && code == 0 ? ("COMPLETED", 0) : (code == 130 ? "CANCELLED" : "FAILED", code);
    }

    [GeneratedRegex(@"(\w+)=(\S*)")]
    private static partial Regex Field();

    [GeneratedRegex(@"^dflc-farm: .* exited (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Exited();
}
