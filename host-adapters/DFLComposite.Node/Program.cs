using System.CommandLine;
using DFLComposite.Node;
using DFLComposite.Node.Commands;
using DFLComposite.Node.Jobs;

if (Console.IsOutputRedirected)
{
    // Farm logs and pipes have no terminal width; do not wrap tables at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("dflc — DFLComposite's command line and headless render node: extract, train and merge face swaps.");
GlobalOptions.AddTo(root);
root.Subcommands.Add(PluginsCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(JobKindsCommands.Extract());
root.Subcommands.Add(SortCommand.Create());
root.Subcommands.Add(FaceSetCommand.Create());
root.Subcommands.Add(JobKindsCommands.Train());
root.Subcommands.Add(XSegCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(JobKindsCommands.Merge());
root.Subcommands.Add(JobKindsCommands.Mask());
root.Subcommands.Add(JobKindsCommands.Render());
root.Subcommands.Add(JobKindsCommands.Assemble());
root.Subcommands.Add(FarmCommand.Create());
root.Subcommands.Add(JobKindsCommands.Swap());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(JobKindsCommands.Evaluate());
root.Subcommands.Add(JobCommands.Run());
root.Subcommands.Add(DFLComposite.Node.Service.ServeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await CommandRunner.RunAsync(root, args).ConfigureAwait(false);
