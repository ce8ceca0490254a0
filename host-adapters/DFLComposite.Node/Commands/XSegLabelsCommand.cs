using System.CommandLine;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;
using DFLComposite.Engine.Segmentation;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc xseg labels fetch-from-mesh|import|export</c>: the include/exclude polygons XSeg trains on.</summary>
internal static class XSegLabelsCommand
{
    public static Command Create()
    {
        var command = new Command("labels", "XSeg labels (include/exclude polygons in each face's metadata).");
        command.Subcommands.Add(FetchFromMesh());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command FetchFromMesh()
    {
        var dir = new Argument<string[]>("faceset") { Description = "Faceset folder(s).", Arity = ArgumentArity.OneOrMore };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace labels faces already have (default: keep them)." };
        var person = new Option<string?>("--person") { Description = "Also cut the oval to what this person segmenter calls person (e.g. selfie; see `dflc plugins`)." };
        var command = new Command("fetch-from-mesh", "Label every face with the outline of its 468-point face mesh (a starting point that needs no hand labelling).") { dir, overwrite, person };
        command.SetAction(r =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog? catalog = r.GetValue(person) is null ? null : GlobalOptions.Catalog(r, loggers);
            IPersonSegmenter? segmenter = catalog?.Create<IPersonSegmenter>(r.GetValue(person)!);
            foreach (string d in r.GetValue(dir)!)
            {
                Print(d, FaceSetLabels.FetchFromMesh(FaceSet.Open(d), r.GetValue(overwrite), segmenter));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var masks = new Option<string?>("--masks") { Description = "Folder of mask images named like the face files (white = face)." };
        var json = new Option<string?>("--json") { Description = "JSON file: { \"<face file>\": [ { \"include\": true, \"points\": [[x, y], ...] } ] } in face pixels." };
        var command = new Command("import", "Import labels from mask images or a JSON of polygons.") { dir, masks, json };
        command.SetAction(r =>
        {
            string? m = r.GetValue(masks), j = r.GetValue(json);
            if ((m is null) == (j is null))
            {
                throw new Engine.UserErrorException("xseg labels import: give exactly one of --masks <folder> or --json <file>.");
            }

            FaceSet set = FaceSet.Open(r.GetValue(dir)!);
            Print(set.Directory, m is not null ? FaceSetLabels.ImportMasks(set, m) : FaceSetLabels.ImportJson(set, j!));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var dir = new Argument<string>("faceset") { Description = "Faceset folder." };
        var output = new Option<string>("--output", "-o") { Description = "JSON file to write (the format `import --json` reads).", Required = true };
        var masks = new Option<string?>("--masks") { Description = "Also write each label as a mask PNG into this folder." };
        var command = new Command("export", "Export the labels of a faceset as JSON (and optionally mask images).") { dir, output, masks };
        command.SetAction(r =>
        {
            int n = FaceSetLabels.Export(FaceSet.Open(r.GetValue(dir)!), r.GetValue(output)!, r.GetValue(masks));
            Console.Out.WriteLine($"{n} labelled face(s) -> {Path.GetFullPath(r.GetValue(output)!)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(string faceset, LabelReport report)
    {
        foreach (string note in report.Notes)
        {
            Console.Error.WriteLine($"dflc: {note}");
        }

        Console.Out.WriteLine($"{faceset}: {report.Changed} face(s) labelled, {report.Unchanged} unchanged");
    }
}
