using System.CommandLine;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Faces;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc xseg labels|train|apply|remove|preview</c>: learned face masks (DeepFaceLab's XSeg).</summary>
internal static class XSegCommand
{
    public static Command Create()
    {
        var command = new Command("xseg", "Learned face segmentation (XSeg): label, train, apply masks to facesets.");
        command.Subcommands.Add(XSegLabelsCommand.Create());
        command.Subcommands.Add(Jobs.JobCommands.Create("train", "Train an XSeg model on the labelled faces of one or more facesets. Ctrl+C saves and stops; the same command resumes.", typeof(XSegTrainJob)));
        command.Subcommands.Add(Jobs.JobCommands.Create("apply", "Predict a mask for every face and store it in the face's metadata.", typeof(XSegApplyJob)));
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Preview());
        return command;
    }

    private static Command Remove()
    {
        var dir = new Argument<string[]>("faceset") { Description = "Faceset folder(s).", Arity = ArgumentArity.OneOrMore };
        var masks = new Option<bool>("--masks") { Description = "Remove predicted masks." };
        var labels = new Option<bool>("--labels") { Description = "Remove label polygons." };
        var command = new Command("remove", "Remove predicted masks and/or labels from every face.") { dir, masks, labels };
        command.SetAction(r =>
        {
            bool m = r.GetValue(masks), l = r.GetValue(labels);
            if (!m && !l)
            {
                throw new Engine.UserErrorException("xseg remove: say what to remove: --masks, --labels or both.");
            }

            foreach (string d in r.GetValue(dir)!)
            {
                int n = FaceSetLabels.Remove(FaceSet.Open(d), labels: l, masks: m);
                Console.Out.WriteLine($"{d}: {n} face(s) changed");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Preview()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var output = new Option<string>("--output", "-o") { Description = "PNG file to write.", Required = true };
        var columns = CliNumbers.Int("--columns", "Faces per row.", 1, 100, 10);
        var max = CliNumbers.Int("--max", "At most this many faces (evenly sampled).", 1, 10_000, 100);
        var tile = CliNumbers.Int("--tile", "Thumbnail size in pixels.", 16, 1024, 128);
        var command = new Command("preview", "Contact sheet with predicted masks (green) and label outlines (red include, blue exclude).") { dir, output, columns, max, tile };
        command.SetAction(r =>
        {
            ContactSheet.Write(FaceSet.Open(r.GetValue(dir)!), r.GetValue(output)!, r.GetValue(columns), r.GetValue(max), r.GetValue(tile), masks: true);
            Console.Out.WriteLine($"Wrote {Path.GetFullPath(r.GetValue(output)!)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
