using System.CommandLine;
using DFLComposite.Node;
using DFLComposite.Node.Commands;

if (Console.IsOutputRedirected)
{
    // Farm logs and pipes have no terminal width; do not wrap tables at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("dflc — DFLComposite's command line and headless render node: extract, train and merge face swaps.");
GlobalOptions.AddTo(root);
root.Subcommands.Add(PluginsCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(ExtractCommand.Create());
root.Subcommands.Add(SortCommand.Create());
root.Subcommands.Add(FaceSetCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(XSegCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(MaskCommand.Create());
root.Subcommands.Add(RenderCommand.Create());
root.Subcommands.Add(SwapCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await CommandRunner.RunAsync(root, args).ConfigureAwait(false);
