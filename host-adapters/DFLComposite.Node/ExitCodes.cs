namespace DFLComposite.Node;

/// <summary>
/// dflc's documented exit codes, the contract farm managers (Deadline, OpenCue, Tractor ...) key on.
/// Listed in README.md; keep both in step.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Unexpected error (a bug): the log has the stack trace.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong (System.CommandLine's parse errors also exit 1 -> we map them here).</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing, empty, truncated or not media.</summary>
    public const int BadInput = 3;

    /// <summary>Set-up is incomplete: a model file, ffmpeg or a native library is missing or wrong.</summary>
    public const int SetupIncomplete = 4;

    /// <summary>The input has no face where one is needed.</summary>
    public const int NoFace = 5;

    /// <summary>Stopped by Ctrl+C or SIGTERM; work done so far is saved and a re-run resumes.</summary>
    public const int Interrupted = 130;
}
