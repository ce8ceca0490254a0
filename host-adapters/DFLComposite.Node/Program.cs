using System.CommandLine;
using DFLComposite.Node;
using DFLComposite.Node.Commands;

var root = new RootCommand("dflc — DFLComposite's command line and headless render node: extract, train and merge face swaps.");
GlobalOptions.AddTo(root);
root.Subcommands.Add(PluginsCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
return await CommandRunner.RunAsync(root, args).ConfigureAwait(false);
