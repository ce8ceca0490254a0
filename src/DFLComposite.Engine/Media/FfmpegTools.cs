using System.Diagnostics;

namespace DFLComposite.Engine.Media;

/// <summary>Locates ffmpeg and ffprobe (from PATH; Debian's <c>ffmpeg</c> package) and reports their versions.</summary>
public static class FfmpegTools
{
    public static string? Find(string tool)
    {
        string exe = OperatingSystem.IsWindows() ? tool + ".exe" : tool;
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path is null)
        {
            return null;
        }

        foreach (string dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir, exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>First line of <c>tool -version</c>, or null when the tool cannot run.</summary>
    public static string? Version(string tool)
    {
        string? exe = Find(tool);
        if (exe is null)
        {
            return null;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(exe, "-hide_banner -version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            string first = process.StandardOutput.ReadLine() ?? "";
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return process.ExitCode == 0 ? first.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
