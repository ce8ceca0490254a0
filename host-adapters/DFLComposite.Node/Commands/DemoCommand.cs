using System.CommandLine;
using DFLComposite.Engine.Plugins;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc demo</c>: the README's main job — a whole swap on the built-in example photos.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { DefaultValueFactory = _ => DemoJob.DefaultOutput(), Description = "Folder for the demo's clip, facesets, model and result (DFLC_DEMO)." };
        var minutes = CliNumbers.Double("--minutes", "Minutes of training in this run (more is better; a re-run continues).", 0.1, 100_000, 3);
        var iterations = CliNumbers.Int("--iterations", "Stop training at this iteration instead (for quick checks; 0 = by minutes).", 0, 1_000_000_000, 0);
        var command = new Command("demo", "Run a whole face swap on the example photos set-up fetched: extract, train a small model, merge into a clip.")
        {
            output, minutes, iterations,
        };
        command.SetAction(async (r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            long its = r.GetValue(iterations);
            DemoResult result = await ProgressView.RunAsync("demo", report => new DemoJob(new JobContext(catalog, loggers)).RunAsync(
                DemoJob.ExamplesDirectory(), Path.GetFullPath(r.GetValue(output)!), its > 0 ? 0 : r.GetValue(minutes), its,
                new InlineProgress<JobProgress>(p => report(p.Fraction, $"{p.Stage}: {p.Message}")), ct)).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.WriteLine($"Done ({result.Iterations} training iterations). Result: {result.Result}");
            Console.Out.WriteLine($"      before | after: {result.BeforeAfter}");
            Console.Out.WriteLine($"      training preview: {result.Preview}, losses: {result.LossPlot}");
            Console.Out.WriteLine($"Verdict: {result.Verdict.Summary} ({result.Verdict.Reason}). Report: {result.Report}");
            Console.Out.WriteLine($"Next: {result.NextStep}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
