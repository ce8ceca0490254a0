namespace DFLComposite.Node;

/// <summary>
/// Where an unexpected error (exit 1) leaves its details: the --log-file when one was given (NLog has written the
/// trace there), else a file of its own under <c>$XDG_STATE_HOME/dflcomposite/logs</c>.
/// </summary>
internal static class CrashLog
{
    public static string Write(Exception ex, string[] args, string? logFile)
    {
        if (!string.IsNullOrWhiteSpace(logFile))
        {
            return Path.GetFullPath(logFile);
        }

        string state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        string folder = Path.Combine(state, "dflcomposite", "logs");
        string path = Path.Combine(folder, $"dflc-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, $"{DateTimeOffset.Now:O}\ndflc {string.Join(' ', args)}\n\n{ex}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no log could be written to {folder}: {e.Message}; run again with --log-file <file>)";
        }
    }
}
