using System.CommandLine;
using DFLComposite.Engine.Settings;
using DFLComposite.Node.Jobs;

namespace DFLComposite.Node;

/// <summary>
/// Runs a parsed command and turns the engine's typed errors into one clear line on stderr and a documented exit code
/// (<see cref="ExitCodes"/>, shared with the service). Unexpected exceptions keep their stack trace in the log.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"dflc: {error.Message}");
            }

            Console.Error.WriteLine("Run `dflc --help` (or `dflc <command> --help`) for usage.");
            return ExitCodes.Usage;
        }

        // Our own signal handling: System.CommandLine's would end the process 2 s after Ctrl+C, before a save finishes.
        using var interrupts = new Interrupts();
        try
        {
            GlobalOptions.ApplyProcessSettings(parse);
            if (parse.GetValue(GlobalOptions.WatchParent) is > 0 and var parent)
            {
                interrupts.WatchParent(parent);
            }

            // Our own handlers below turn known errors into one line and an exit code.
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(config, interrupts.Token).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine($"dflc: {ex.Message}");
            OpenJdFail(parse, ex.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dflc: interrupted; work done so far is saved and nothing half-written was left; run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ExitCodes.For(ex) != ExitCodes.Failure)
        {
            Console.Error.WriteLine($"dflc: {ex.Message}");
            OpenJdFail(parse, ex.Message);
            GlobalOptions.CrashLogger(parse).Debug(ex, "details");
            return ExitCodes.For(ex);
        }
        catch (Exception ex)
        {
            // A bug, not the user's doing: one line here, the stack trace in a log file the line points at.
            GlobalOptions.CrashLogger(parse).Error(ex, "unexpected error");
            string log = CrashLog.Write(ex, args, parse.GetValue(GlobalOptions.LogFile));
            Console.Error.WriteLine($"dflc: unexpected error (a bug, not your input): {ex.Message}");
            OpenJdFail(parse, $"unexpected error (a bug, not your input): {ex.Message}; details in {log}");
            Console.Error.WriteLine($"dflc: the details are in {log}; please include that file when you report it.");
            return ExitCodes.Failure;
        }
    }

    // Open Job Description runtimes mark a task failed with this reason when they read an "openjd_fail: " line on stdout.
    private static void OpenJdFail(ParseResult parse, string message)
    {
        if (parse.GetValue(GlobalOptions.ProgressFormat) == "openjd")
        {
            Console.Out.WriteLine("openjd_fail: " + message.ReplaceLineEndings(" "));
        }
    }
}
