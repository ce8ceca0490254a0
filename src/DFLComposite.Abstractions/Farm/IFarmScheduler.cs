using DFLComposite.Plugins;

namespace DFLComposite.Farm;

/// <summary>
/// Hands a chunked render to a render-farm scheduler (Slurm, Deadline, Open Job Description ...). Every chunk runs the
/// node's per-chunk contract, <c>dflc render --job JOB --frames A-B</c>, and an optional last job runs
/// <c>dflc assemble</c> once every chunk succeeded. Exported as <c>[PluginExport(typeof(IFarmScheduler), "slurm", ...)]</c>;
/// the name is what <c>dflc farm submit --scheduler</c> takes.
/// </summary>
[PluginFamily("render", "farm")]
public interface IFarmScheduler : IPluginPart
{
    /// <summary>The scheduler can submit and follow jobs itself (else it only writes files to submit by hand).</summary>
    bool CanSubmit { get; }

    /// <summary>Writes the submission files into <see cref="FarmRequest.Folder"/>; returns what was written and how to submit it.</summary>
    FarmSubmission Prepare(FarmRequest request);

    /// <summary>Submits what <see cref="Prepare"/> wrote; the result carries the scheduler's job ids.</summary>
    /// <exception cref="FarmException">The scheduler refused or cannot be reached.</exception>
    FarmSubmission Submit(FarmSubmission prepared);

    /// <summary>Where a submitted render is: each chunk's state and exit code, and the assemble job's.</summary>
    FarmStatus Status(FarmSubmission submitted);

    /// <summary>Cancels every chunk and the assemble job (running chunks stop as on SIGTERM: their finished frames are kept).</summary>
    void Cancel(FarmSubmission submitted);
}

/// <summary>A chunked render of one merge or mask job file.</summary>
/// <param name="JobFile">The job file (absolute; the farm's nodes must see the same path).</param>
/// <param name="Dflc">The dflc executable the nodes run (absolute).</param>
/// <param name="First">First frame to render.</param>
/// <param name="Last">Last frame to render (inclusive).</param>
/// <param name="Chunk">Frames per chunk; the last chunk is clipped to <paramref name="Last"/>.</param>
/// <param name="MaxParallel">At most this many chunks at once, or null for the scheduler's limit.</param>
/// <param name="Assemble">The video <c>dflc assemble</c> writes after the last chunk, or null for none.</param>
/// <param name="AssembleArguments">Extra <c>dflc assemble</c> arguments (codec, crf).</param>
/// <param name="Partition">Queue, partition or pool to run in, or null for the default.</param>
/// <param name="Folder">Where the submission files (and the logs, for Slurm) go.</param>
/// <param name="Name">A short name for the jobs (letters, digits, '-', '_').</param>
/// <param name="DflcArguments">Global dflc options every chunk gets (models folder, plugin paths, threads).</param>
public sealed record FarmRequest(
    string JobFile,
    string Dflc,
    long First,
    long Last,
    int Chunk,
    int? MaxParallel,
    string? Assemble,
    IReadOnlyList<string> AssembleArguments,
    string? Partition,
    string Folder,
    string Name,
    IReadOnlyList<string> DflcArguments)
{
    /// <summary>The chunks as (first, last) frame pairs, in order.</summary>
    public IEnumerable<(long First, long Last)> Chunks()
    {
        for (long f = First; f <= Last; f += Chunk)
        {
            yield return (f, Math.Min(f + Chunk - 1, Last));
        }
    }
}

/// <summary>What was written for a render and, once submitted, the scheduler's ids.</summary>
/// <param name="Files">Files written, relative to <see cref="FarmRequest.Folder"/>.</param>
/// <param name="SubmitCommand">The command line that submits the files by hand.</param>
/// <param name="Id">The scheduler's id of the chunks (Slurm: the array job), once submitted.</param>
/// <param name="AssembleId">The scheduler's id of the assemble job, once submitted.</param>
public sealed record FarmSubmission(
    string Scheduler,
    FarmRequest Request,
    IReadOnlyList<string> Files,
    string SubmitCommand,
    string? Id = null,
    string? AssembleId = null);

/// <summary>One chunk's state as the scheduler reports it (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED ...).</summary>
/// <param name="ExitCode">dflc's exit code once the chunk ended (130: stopped by a cancel, its finished frames kept).</param>
/// <param name="Log">The chunk's log file, when the scheduler writes one.</param>
public sealed record FarmChunkStatus(long First, long Last, string State, int? ExitCode, string? Log);

/// <summary>A submitted render: every chunk, and the assemble job (null when none was asked for).</summary>
public sealed record FarmStatus(IReadOnlyList<FarmChunkStatus> Chunks, string? AssembleState, int? AssembleExitCode, string? AssembleLog);

/// <summary>A scheduler refused a submission, cannot be reached, or does not know a job; the message says which.</summary>
public sealed class FarmException(string message, Exception? inner = null) : Exception(message, inner);
