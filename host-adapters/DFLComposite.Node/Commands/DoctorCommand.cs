using System.CommandLine;
using DFLComposite.Engine.Diagnostics;
using DFLComposite.Engine.Plugins;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc doctor</c>: can this machine run the engine? Non-zero exit with a fix per failure.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check ffmpeg, the torch and OpenCV native libraries, model files (sha256), CPU/GPU and plugins.");
        command.SetAction(r =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            IReadOnlyList<DoctorCheck> checks = Doctor.Run(GlobalOptions.ModelStore(r), catalog);
            var table = new Table().AddColumns("check", "status", "detail", "fix");
            foreach (DoctorCheck c in checks)
            {
                string status = c.Status switch
                {
                    CheckStatus.Ok => "[green]ok[/]",
                    CheckStatus.Info => "[blue]info[/]",
                    CheckStatus.Warning => "[yellow]warning[/]",
                    _ => "[red]FAILED[/]",
                };
                table.AddRow(Markup.Escape(c.Name), status, Markup.Escape(c.Detail), Markup.Escape(c.Fix ?? ""));
            }

            AnsiConsole.Write(table);
            int failed = checks.Count(c => c.Status == CheckStatus.Failed);
            if (failed == 0)
            {
                AnsiConsole.MarkupLine("[green]All checks passed.[/]");
                return ExitCodes.Ok;
            }

            // Plain lines too, so a log or a farm's task output shows what to do without the table.
            foreach (DoctorCheck c in checks.Where(c => c.Status == CheckStatus.Failed))
            {
                Console.Error.WriteLine($"FAILED {c.Name}: {c.Detail}. Fix: {c.Fix}");
            }

            return ExitCodes.SetupIncomplete;
        });
        return command;
    }
}
