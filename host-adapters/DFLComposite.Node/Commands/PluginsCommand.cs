using System.CommandLine;
using DFLComposite.Engine.Plugins;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc plugins</c>: every discovered part, by stage and family.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var command = new Command("plugins", "List every discovered plugin part by stage and family, with name, version and source assembly.");
        command.SetAction(r =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            var table = new Table().AddColumns("stage", "family", "name", "version", "description", "assembly");
            foreach ((Type contract, var family) in PluginCatalog.Families)
            {
                foreach (PluginPart part in catalog.Parts.Where(p => p.Contract == contract).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
                {
                    table.AddRow(
                        family.Stage,
                        family.Family,
                        part.Metadata.Name,
                        part.Metadata.Version,
                        Markup.Escape(part.Metadata.Description),
                        Markup.Escape(Path.GetFileName(part.SourceAssembly)));
                }
            }

            AnsiConsole.Write(table);
            foreach (PluginLoadFailure failure in catalog.Failures)
            {
                AnsiConsole.MarkupLine($"[yellow]skipped[/] {Markup.Escape(failure.Path)}: {Markup.Escape(failure.Reason)}");
            }

            return catalog.Parts.Count > 0 ? ExitCodes.Ok : ExitCodes.SetupIncomplete;
        });
        return command;
    }
}
