using System.CommandLine;
using DFLComposite.Engine.Facesets.Dfl;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc faceset import-dfl</c>: DeepFaceLab aligned faces into our format, without running any pickle code.</summary>
internal static class ImportDflCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A DeepFaceLab 'aligned' folder of JPEG faces." };
        var output = new Option<string>("--output", "-o") { Description = "Faceset folder to create.", Required = true };
        var command = new Command("import-dfl", "Convert DeepFaceLab aligned JPEGs (APP15 pickle metadata, read safely) to a DFLComposite faceset.") { folder, output };
        command.SetAction(r =>
        {
            DflImporter.Result result = DflImporter.Import(r.GetValue(folder)!, r.GetValue(output)!);
            foreach (string skip in result.Skipped)
            {
                Console.Error.WriteLine($"skipped {skip}");
            }

            Console.Out.WriteLine($"Imported {result.Imported} faces to {result.Output}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
