using System.CommandLine;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc model info</c>: what a workspace's model is and how far it trained.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect trained models.");
        var workspace = new Argument<string>("workspace") { Description = "A training workspace." };
        var info = new Command("info", "Print a model's architecture, options, iteration, parameter count and losses.") { workspace };
        info.SetAction(r =>
        {
            string ws = r.GetValue(workspace)!;
            if (Checkpoint.Find<XSegCheckpointHeader>(ws) is { Header.Kind: XSegCheckpointHeader.SegmentationKind } xseg)
            {
                WriteXSeg(ws, xseg.Header, xseg.File, xseg.Warning);
                return ExitCodes.Ok;
            }

            (CheckpointHeader h, string file, string? warning) = Checkpoint.Find(ws);
            if (warning is not null)
            {
                Console.Error.WriteLine(warning);
            }

            var table = new Table().AddColumns("", "");
            table.AddRow("file", Markup.Escape(file));
            table.AddRow("model", h.Options.Model);
            table.AddRow("architecture", h.Options.Archi);
            table.AddRow("resolution / face type", $"{h.Options.Resolution} / {h.Options.FaceType.ShortName()}");
            table.AddRow("dims (ae / e / d / mask)", $"{h.Options.AeDims} / {h.Options.EDims} / {h.Options.DDims} / {h.Options.DMaskDims}");
            table.AddRow("parameters", h.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("iteration", h.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("saved", h.Saved.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("training", Markup.Escape($"batch {h.Settings.BatchSize}, lr {h.Settings.LearningRate}, {h.Settings.Optimizer}, loss {h.Settings.Loss}"));
            string csv = Path.Combine(ws, Trainer.LossCsvFile);
            if (File.Exists(csv))
            {
                string[] last = File.ReadLines(csv).Skip(1).TakeLast(20).ToArray();
                if (last.Length > 0)
                {
                    double Mean(int col) => last.Select(l => double.Parse(l.Split(',')[col], System.Globalization.CultureInfo.InvariantCulture)).Average();
                    table.AddRow("loss (last 20, src / dst)", FormattableString.Invariant($"{Mean(1):F4} / {Mean(2):F4}"));
                }
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(info);
        return command;
    }

    private static void WriteXSeg(string ws, XSegCheckpointHeader h, string file, string? warning)
    {
        if (warning is not null)
        {
            Console.Error.WriteLine(warning);
        }

        var table = new Table().AddColumns("", "");
        table.AddRow("file", Markup.Escape(file));
        table.AddRow("model", $"{h.Options.Model} (segmentation)");
        table.AddRow("resolution / face type", $"{h.Options.Resolution} / {h.Options.FaceType.ShortName()}");
        table.AddRow("base channels", h.Options.BaseChannels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("parameters", h.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("iteration", h.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("saved", h.Saved.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("training", Markup.Escape(FormattableString.Invariant($"batch {h.Settings.BatchSize}, lr {h.Settings.LearningRate}, occluders {h.Settings.OccluderChance:P0}")));
        string csv = Path.Combine(ws, XSegTrainer.LossCsvFile);
        string[] last = File.Exists(csv) ? File.ReadLines(csv).Skip(1).TakeLast(20).ToArray() : [];
        if (last.Length > 0)
        {
            table.AddRow("loss (last 20)", FormattableString.Invariant($"{last.Average(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)):F4}"));
        }

        AnsiConsole.Write(table);
    }
}
