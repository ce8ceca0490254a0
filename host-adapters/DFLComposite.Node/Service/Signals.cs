using System.Runtime.InteropServices;

namespace DFLComposite.Node.Service;

/// <summary>Unix signals to child processes (.NET's Process.Kill only sends SIGKILL) and liveness checks.</summary>
internal static partial class Signals
{
    public const int SIGTERM = 15, SIGKILL = 9;

    /// <summary>Asks a process to stop (SIGTERM on Unix: a dflc job saves and exits 130); elsewhere kills it.</summary>
    public static void Terminate(System.Diagnostics.Process p)
    {
        if (OperatingSystem.IsWindows())
        {
            p.Kill(entireProcessTree: true);
            return;
        }

        _ = Kill(p.Id, SIGTERM);
    }

    /// <summary>Whether a process with this id exists.</summary>
    public static bool Alive(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1; // EPERM: it exists, owned by someone else
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/> (Unix).</summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    /// <summary>A signal number in words, for "killed by signal 9 (SIGKILL)".</summary>
    public static string Name(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL",
        11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM", _ => $"signal {signal}",
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
