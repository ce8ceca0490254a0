using DFLComposite.Engine.Media;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// The documented exit codes, the contract farm managers (Slurm, Deadline, OpenJD ...) key on, and what the service
/// reports for a failed job. Listed in README.md; keep both in step.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Unexpected error (a bug): the log has the stack trace.</summary>
    public const int Failure = 1;

    /// <summary>The command line or job is wrong: an unknown field or flag, a value out of range, an unknown part name.</summary>
    public const int Usage = 2;

    /// <summary>An input is missing, empty, truncated, damaged or not what the job needs.</summary>
    public const int BadInput = 3;

    /// <summary>Set-up is incomplete: a model file, ffmpeg or a native library is missing or wrong.</summary>
    public const int SetupIncomplete = 4;

    /// <summary>The input has no face where one is needed.</summary>
    public const int NoFace = 5;

    /// <summary>An output could not be written (disk full, read-only, no permission); any existing output is unchanged.</summary>
    public const int WriteFailed = 6;

    /// <summary>A render farm's scheduler is not installed here, cannot be reached, refused the job or does not know it (<c>dflc farm</c>).</summary>
    public const int FarmRefused = 7;

    /// <summary>Stopped by Ctrl+C, SIGTERM or a cancel; work done so far is saved and a re-run resumes.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code an exception stands for (<see cref="Failure"/> for anything unexpected).</summary>
    public static int For(Exception ex) => ex switch
    {
        JobValidationException or UserErrorException or PluginNotFoundException => Usage,
        MediaException or BadInputException => BadInput,
        ModelFileException => SetupIncomplete,
        NoFaceException => NoFace,
        OutputWriteException => WriteFailed,
        Farm.FarmException => FarmRefused,
        OperationCanceledException => Interrupted,
        _ => Failure,
    };
}
