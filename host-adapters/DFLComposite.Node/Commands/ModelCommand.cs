using System.CommandLine;
using System.Globalization;
using DFLComposite.Engine.Models;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc model info</c>: what a workspace's model is and how far it trained.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect trained models.");
        var workspace = new Argument<string>("workspace") { Description = "A training workspace (swap or XSeg)." };
        var info = new Command("info", "Print a model's architecture, options, iteration, parameter count and losses.") { workspace };
        info.SetAction(r =>
        {
            WorkspaceInfo w = WorkspaceInfo.Read(r.GetValue(workspace)!);
            if (w.Warning is not null)
            {
                Console.Error.WriteLine($"dflc: warning: {w.Warning}");
            }

            var c = CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("", "");
            table.AddRow("file", Markup.Escape(w.File));
            table.AddRow("model", w.Kind == "xseg" ? $"{w.Model} (segmentation)" : w.Model);
            if (w.Architecture is not null)
            {
                table.AddRow("architecture", w.Architecture);
            }

            table.AddRow("resolution / face type", $"{w.Resolution} / {w.FaceType}");
            table.AddRow(w.Kind == "xseg" ? "base channels" : "dims (ae / e / d / mask)", w.Dims.Replace("/", " / ", StringComparison.Ordinal));
            table.AddRow("parameters", w.Parameters.ToString("N0", c));
            table.AddRow("iteration", w.Iteration.ToString(c));
            table.AddRow("saved", w.Saved.ToString("u", c));
            table.AddRow("training", Markup.Escape(w.Training));
            if (w.Losses.Count > 0)
            {
                table.AddRow(w.Kind == "xseg" ? "loss (last 20)" : "loss (last 20, src / dst)", string.Join(" / ", w.Losses.Select(l => l.ToString("F4", c))));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(info);
        return command;
    }
}
