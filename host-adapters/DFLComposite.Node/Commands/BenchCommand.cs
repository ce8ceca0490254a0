using System.CommandLine;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc bench</c>: measured speed of the engine's heavy work, for the numbers in issues and release notes.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the speed of training, extraction, merging and the OpenFX path on this machine.");
        var model = new Option<string>("--model") { DefaultValueFactory = _ => "saehd", Description = "Swap model plugin." };
        var archi = new Option<string>("--archi") { DefaultValueFactory = _ => "df", Description = "Architecture." };
        var resolution = CliNumbers.Int("--resolution", "Resolution.", 32, 640, 64);
        var dims = new Option<string>("--dims") { DefaultValueFactory = _ => "128/32/32/16", Description = "ae/e/d/mask dims." };
        var batch = CliNumbers.Int("--batch-size", "Batch size.", 1, 256, 8);
        var iterations = CliNumbers.Int("--iterations", "Timed iterations (after 3 warm-up).", 1, 100_000, 10);
        var train = new Command("train", "ms/iteration of a training step (default: df 64 px, 128/32/32/16, batch 8) and GFLOP/s beside libtorch's matmul GFLOP/s.")
        {
            model, archi, resolution, dims, batch, iterations,
        };
        train.SetAction(r =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            ISwapModel swap = catalog.Create<ISwapModel>(r.GetValue(model)!);
            int[] d = r.GetValue(dims)!.Split('/').Select(int.Parse).ToArray();
            if (d.Length != 4)
            {
                throw new Engine.UserErrorException("--dims is ae/e/d/mask, e.g. 128/32/32/16.");
            }

            SwapModelOptions options = swap.Defaults() with { Archi = r.GetValue(archi)!, Resolution = r.GetValue(resolution), AeDims = d[0], EDims = d[1], DDims = d[2], DMaskDims = d[3] };
            TrainBenchResult b = TrainBenchmark.Run(swap, options, r.GetValue(batch), iterations: r.GetValue(iterations));
            Console.Out.WriteLine(FormattableString.Invariant(
                $"bench train: {options.Model} {options.Archi} {options.Resolution}px {r.GetValue(dims)} batch {b.BatchSize}, {b.Threads} threads: {b.MsPerIteration:F0} ms/iteration, {b.GflopPerIteration:F2} GFLOP/iteration, {b.AchievedGflops:F1} GFLOP/s achieved; libtorch matmul {b.MatmulGflops:F1} GFLOP/s ({100 * b.AchievedGflops / b.MatmulGflops:F0}% of it)"));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(train);
        command.Subcommands.Add(BenchPipelines.Extract());
        command.Subcommands.Add(BenchPipelines.Merge());
        command.Subcommands.Add(BenchOfx.Create());
        return command;
    }
}
