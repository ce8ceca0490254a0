using System.CommandLine;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;

namespace DFLComposite.Node;

/// <summary>
/// Runs a parsed command and turns the engine's typed errors into one clear line on stderr and a
/// documented exit code (<see cref="ExitCodes"/>). Unexpected exceptions keep their stack trace in the log.
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

        try
        {
            return await parse.InvokeAsync().ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            return Fail(ex, ExitCodes.BadInput);
        }
        catch (ModelFileException ex)
        {
            return Fail(ex, ExitCodes.SetupIncomplete);
        }
        catch (PluginNotFoundException ex)
        {
            return Fail(ex, ExitCodes.Usage);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dflc: interrupted; work done so far is saved, run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
    }

    private static int Fail(Exception ex, int code)
    {
        Console.Error.WriteLine($"dflc: {ex.Message}");
        NLog.LogManager.GetLogger("dflc").Debug(ex, "details");
        return code;
    }
}
