using System.CommandLine;
using System.Text.Json;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc faceset info|preview|dedupe|split|import-dfl</c>: look at and tidy a faceset.</summary>
internal static class FaceSetCommand
{
    public static Command Create()
    {
        var command = new Command("faceset", "Inspect and tidy facesets.");
        command.Subcommands.Add(Info());
        command.Subcommands.Add(Preview());
        command.Subcommands.Add(Dedupe());
        command.Subcommands.Add(Split());
        command.Subcommands.Add(ImportDflCommand.Create());
        return command;
    }

    private static Command Info()
    {
        var path = new Argument<string>("path") { Description = "A faceset folder or one aligned face file." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("info", "Print a faceset's summary, or one face file's embedded metadata.") { path, json };
        command.SetAction(r =>
        {
            string p = r.GetValue(path)!;
            if (File.Exists(p))
            {
                AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(p);
                Console.Out.WriteLine(JsonSerializer.Serialize(m, new JsonSerializerOptions(AlignedFaceFile.Json) { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            FaceSet set = FaceSet.Open(p);
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(set.Index, new JsonSerializerOptions(AlignedFaceFile.Json) { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("source", "faces", "frames", "yaw range", "pitch range");
            foreach (var g in set.Faces.GroupBy(f => f.SourceClip).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                table.AddRow(
                    Markup.Escape(g.First().SourceFile),
                    g.Count().ToString(),
                    g.Select(f => f.FrameIndex).Distinct().Count().ToString(),
                    $"{g.Min(f => f.Yaw):F2} .. {g.Max(f => f.Yaw):F2}",
                    $"{g.Min(f => f.Pitch):F2} .. {g.Max(f => f.Pitch):F2}");
            }

            Console.Out.WriteLine($"{set.Directory}: {set.Faces.Count} faces, face type {set.Index.FaceType}, {set.Index.Size} px{(set.HasIndex ? "" : " (no index: rebuilt from the files)")}");
            AnsiConsole.Write(table);
            var damaged = set.Faces.Select(f => (f, Problem: AlignedFaceFile.Problem(set.PathOf(f)))).Where(x => x.Problem is not null).ToArray();
            Console.Out.WriteLine(damaged.Length == 0
                ? "damaged faces: none"
                : $"damaged faces: {damaged.Length} ({string.Join(", ", damaged.Take(10).Select(d => $"{d.f.File}: {d.Problem}"))}{(damaged.Length > 10 ? ", ..." : "")}); `dflc sort` or `dflc faceset dedupe` move them to trash/");
            if (FaceSetSplit.Load(set.Directory) is { } split)
            {
                Console.Out.WriteLine($"split: train {split.Train.Count}, val {split.Val.Count}, test {split.Test.Count}");
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
        var landmarks = new Option<bool>("--landmarks") { Description = "Draw the 68 landmarks." };
        var command = new Command("preview", "Write a contact sheet PNG of a faceset.") { dir, output, columns, max, tile, landmarks };
        command.SetAction(r =>
        {
            FaceSet set = FaceSet.Open(r.GetValue(dir)!);
            ContactSheet.Write(set, r.GetValue(output)!, r.GetValue(columns), r.GetValue(max), r.GetValue(tile), r.GetValue(landmarks));
            Console.Out.WriteLine($"Wrote {Path.GetFullPath(r.GetValue(output)!)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Dedupe()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var distance = CliNumbers.Int("--distance", "Faces whose 64-bit image hashes differ in at most this many bits are duplicates.", 0, 64, 4);
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report." };
        var command = new Command("dedupe", "Move near-identical faces (keeping the sharpest) to the faceset's trash/ folder.") { dir, distance, dryRun };
        command.SetAction(r =>
        {
            FaceSet set = FaceSet.Open(r.GetValue(dir)!);
            var damaged = new List<DamagedFace>();
            Measure[] measures = Measure.All(set, null, damaged);
            (var kept, var duplicates) = FaceSetDeduper.Find(measures, r.GetValue(distance));
            if (!r.GetValue(dryRun))
            {
                FaceSetEditor.Apply(set, kept, [.. duplicates, .. damaged.Select(d => d.Entry)], renumber: false);
            }

            ReportDamaged(set, damaged, r.GetValue(dryRun));

            Console.Out.WriteLine($"{duplicates.Count} duplicate(s) of {set.Faces.Count} faces{(r.GetValue(dryRun) ? " (dry run, nothing moved)" : $" moved to {Path.Combine(set.Directory, FaceSetEditor.TrashFolder)}")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Split()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var train = CliNumbers.Double("--train", "Share for training.", 0, 1, 0.7);
        var val = CliNumbers.Double("--val", "Share for validation.", 0, 1, 0.1);
        var test = CliNumbers.Double("--test", "Share for testing.", 0, 1, 0.2);
        var seed = CliNumbers.Int("--seed", "Shuffle seed (same seed, same split).", 0, int.MaxValue, 1);
        var segment = CliNumbers.Int("--segment-frames", "Consecutive video frames kept together in one split.", 1, 100_000, 30);
        var command = new Command("split", "Split a faceset into train/val/test (split.json), keeping each clip segment in one split.") { dir, train, val, test, seed, segment };
        command.SetAction(r =>
        {
            FaceSet set = FaceSet.Open(r.GetValue(dir)!);
            FaceSetSplit split = FaceSetSplitter.Split(set, r.GetValue(train), r.GetValue(val), r.GetValue(test), r.GetValue(seed), r.GetValue(segment));
            Console.Out.WriteLine($"train {split.Train.Count}, val {split.Val.Count}, test {split.Test.Count} -> {Path.Combine(set.Directory, FaceSetSplit.FileName)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Names the faces that could not be read and where they went.</summary>
    public static void ReportDamaged(FaceSet set, IReadOnlyList<DamagedFace> damaged, bool dryRun = false)
    {
        foreach (DamagedFace d in damaged)
        {
            Console.Error.WriteLine($"dflc: skipped damaged face {set.PathOf(d.Entry)}: {d.Problem}{(dryRun ? "" : $" (moved to {FaceSetEditor.TrashFolder}/)")}");
        }
    }
}
