using System.Diagnostics;
using System.Text;
using DFLComposite.Farm;

namespace DFLComposite.Plugins.Farm;

/// <summary>Quoting for the generated scripts, atomic file writes, and running a scheduler's command-line tools.</summary>
internal static class Shell
{
    /// <summary>One POSIX shell word: kept as is when it is plainly safe, else single-quoted.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>Writes a file through a temporary name and a rename, so a scheduler never reads half a script.</summary>
    public static void WriteAtomic(string path, string text, bool executable = false)
    {
        string temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Runs a tool and returns its exit code and output; a tool that is not installed is a <see cref="FarmException"/>.</summary>
    public static (int Code, string Out, string Err) Run(string exe, IEnumerable<string> args, string what)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new FarmException($"{exe} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FarmException($"{exe} is not installed here ({what} needs it on PATH); run this on a machine that can submit to the farm, or use --dry-run to write the files.", ex);
        }

        using (p)
        {
            Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                p.Kill(entireProcessTree: true);
                throw new FarmException($"{exe} did not answer in 2 minutes; is the scheduler reachable?");
            }

            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
