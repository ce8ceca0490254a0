using System.CommandLine;
using DFLComposite.Engine;
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
            // Our own handlers below turn known errors into one line and an exit code.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
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
        catch (UserErrorException ex)
        {
            return Fail(ex, ExitCodes.Usage);
        }
        catch (NoFaceException ex)
        {
            return Fail(ex, ExitCodes.NoFace);
        }
        catch (IOException ex)
        {
            // disk full, permission denied: the message names the file; earlier work is intact
            return Fail(ex, ExitCodes.Failure);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dflc: interrupted; work done so far is saved, run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // A bug, not the user's doing: one line here, the stack trace in the log (--log-file, --verbose).
            Console.Error.WriteLine($"dflc: unexpected error: {ex.GetType().Name}: {ex.Message}");
            NLog.LogManager.GetLogger("dflc").Error(ex, "unexpected error");
            return ExitCodes.Failure;
        }
    }

    private static int Fail(Exception ex, int code)
    {
        Console.Error.WriteLine($"dflc: {ex.Message}");
        NLog.LogManager.GetLogger("dflc").Debug(ex, "details");
        return code;
    }
}
