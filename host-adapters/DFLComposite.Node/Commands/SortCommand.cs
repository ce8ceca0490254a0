using System.CommandLine;
using DFLComposite.Engine.Facesets;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc sort</c>: DeepFaceLab's sort, renaming faces so a file browser shows the order.</summary>
internal static class SortCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var by = new Option<string>("--by") { Description = "blur | motion-blur | yaw | pitch | hist | brightness | hue | face-size | final.", Required = true };
        var count = CliNumbers.Int("--count", "For --by final: how many faces to keep (the rest go to trash/); 0 for the other sorts.", 0, 10_000_000, 0);
        var command = new Command("sort", "Order a faceset's faces (files are renamed 00000_..., the index follows); --by final keeps the best varied N.") { dir, by, count };
        command.SetAction(async (r, ct) =>
        {
            SortMethod method = FaceSorter.Parse(r.GetValue(by)!);
            if (method == SortMethod.Final && r.GetValue(count) < 1)
            {
                throw new Jobs.CliUsageException("--by final needs --count N (1 or more): how many faces to keep.");
            }

            FaceSet set = FaceSet.Open(r.GetValue(dir)!);
            var damaged = new List<DamagedFace>();
            (var ordered, var retired) = await ProgressView.RunAsync("measure", report =>
                Task.Run(() => FaceSorter.Sort(set, method, r.GetValue(count), new InlineProgress<double>(f => report(f, $"{set.Faces.Count} faces")), damaged), ct)).ConfigureAwait(false);
            FaceSetEditor.Apply(set, ordered, [.. retired, .. damaged.Select(d => d.Entry)]);
            FaceSetCommand.ReportDamaged(set, damaged);
            Console.Out.WriteLine($"Sorted {ordered.Count} faces by {r.GetValue(by)}{(retired.Count > 0 ? $"; {retired.Count} moved to {Path.Combine(set.Directory, FaceSetEditor.TrashFolder)}" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
