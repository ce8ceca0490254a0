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
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Apply());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Preview());
        return command;
    }

    private static Command Train()
    {
        var s = new XSegTrainSettings();
        var o = new SegmentationOptions();
        var facesets = new Option<string[]>("--faceset") { Description = "Faceset folder(s) with labelled faces (repeat the option for several).", Required = true, AllowMultipleArgumentsPerToken = true };
        var workspace = new Option<string>("--workspace", "-w") { Description = "XSeg model folder: checkpoints, preview, loss history. An existing one resumes.", Required = true };
        var model = new Option<string>("--model") { Description = "Segmentation plugin (see `dflc plugins`).", DefaultValueFactory = _ => o.Model };
        var resolution = new Option<int?>("--resolution") { Description = $"Input side in px, a multiple of 64. Default {o.Resolution}." };
        var faceType = new Option<string?>("--face-type") { Description = $"h | mf | f | wf | head. Default {o.FaceType.ShortName()}." };
        var channels = new Option<int?>("--base-channels") { Description = $"Width of the first block. Default {o.BaseChannels}." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => s.BatchSize, Description = "Faces per iteration." };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => s.LearningRate, Description = "Learning rate." };
        var occluderChance = new Option<double>("--occluder-chance") { DefaultValueFactory = _ => s.OccluderChance, Description = "Share of samples with a random occluder pasted over the face (0 turns it off)." };
        var occluders = new Option<string[]>("--occluders") { Description = "Image files or folders to cut occluders from (besides other faces' backgrounds).", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => s.Seed, Description = "Seed for weights and sampling." };
        var maxIt = new Option<long>("--max-iterations") { Description = "Stop after this iteration (0 = no limit)." };
        var maxMin = new Option<double>("--max-minutes") { Description = "Stop after this many minutes (0 = no limit)." };
        var saveMin = new Option<double>("--save-every-minutes") { DefaultValueFactory = _ => s.SaveEveryMinutes, Description = "Checkpoint interval in minutes." };
        var saveIt = new Option<int>("--save-every") { Description = "Also checkpoint every N iterations (0 = by time only)." };
        var backups = new Option<int>("--backups") { DefaultValueFactory = _ => s.Backups, Description = "Rotating checkpoint backups to keep." };
        var previewEvery = new Option<int>("--preview-every") { DefaultValueFactory = _ => s.PreviewEvery, Description = "Write preview.png every N iterations." };
        var reportEvery = new Option<int>("--report-every") { DefaultValueFactory = _ => s.ReportEvery, Description = "Print a progress line every N iterations." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = all cores; 1 is faster on a machine busy with other work)." };
        var command = new Command("train", "Train an XSeg model on the labelled faces of one or more facesets. Ctrl+C saves and stops; the same command resumes.")
        {
            facesets, workspace, model, resolution, faceType, channels, batch, lr, occluderChance, occluders, seed, maxIt, maxMin, saveMin, saveIt, backups,
            previewEvery, reportEvery, threads,
        };
        command.SetAction((r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            ISegmentationModel segmenter = catalog.Create<ISegmentationModel>(r.GetValue(model)!);
            SegmentationOptions defaults = segmenter.Defaults();
            var given = new HashSet<string>();
            int? res = r.GetValue(resolution), ch = r.GetValue(channels);
            string? ft = r.GetValue(faceType);
            if (res is not null)
            {
                given.Add("resolution");
            }

            if (ch is not null)
            {
                given.Add("base-channels");
            }

            if (ft is not null)
            {
                given.Add("face-type");
            }

            var options = defaults with
            {
                Resolution = res ?? defaults.Resolution,
                BaseChannels = ch ?? defaults.BaseChannels,
                FaceType = ft is null ? defaults.FaceType : CliParse.FaceType(ft),
            };
            var settings = new XSegTrainSettings
            {
                BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), OccluderChance = r.GetValue(occluderChance),
                OccluderImages = (r.GetValue(occluders) ?? []).Select(Path.GetFullPath).ToArray(), Seed = r.GetValue(seed),
                MaxIterations = r.GetValue(maxIt), MaxMinutes = r.GetValue(maxMin), SaveEveryMinutes = r.GetValue(saveMin),
                SaveEveryIterations = r.GetValue(saveIt), Backups = r.GetValue(backups), PreviewEvery = r.GetValue(previewEvery),
                ReportEvery = r.GetValue(reportEvery), Threads = r.GetValue(threads),
            };
            FaceSet[] sets = r.GetValue(facesets)!.Select(FaceSet.Open).ToArray();
            string ws = Path.GetFullPath(r.GetValue(workspace)!);
            var lines = new InlineProgress<XSegProgress>(p => Console.Out.WriteLine(FormattableString.Invariant(
                $"[{p.Iteration:D6}] {p.MsPerIteration:F0} ms/it  loss {p.Loss:F4}{(p.Eta is { } eta ? $"  ETA {eta:hh\\:mm\\:ss}" : "")}{(p.Event is null ? "" : "  " + p.Event)}")));
            XSegTrainResult result = new XSegTrainer(segmenter, settings, loggers.CreateLogger<XSegTrainer>()).Run(ws, sets, options, given, lines, ct);
            Console.Out.WriteLine($"Stopped at iteration {result.Iteration} ({result.StopReason}) on {result.LabelledFaces} labelled faces. Model: {Path.Combine(ws, Engine.Training.Checkpoint.FileName)}; preview: {Path.Combine(ws, XSegTrainer.PreviewFile)}; losses: {Path.Combine(ws, XSegTrainer.LossPlotFile)}");
            return Task.FromResult(result.StopReason == "interrupted" ? ExitCodes.Interrupted : ExitCodes.Ok);
        });
        return command;
    }

    private static Command Apply()
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "XSeg model folder (from `dflc xseg train`).", Required = true };
        var facesets = new Option<string[]>("--faceset") { Description = "Faceset folder(s) to mask.", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("apply", "Predict a mask for every face and store it in the face's metadata.") { workspace, facesets };
        command.SetAction(async (r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            using XSegMasker masker = XSegMasker.Load(Path.GetFullPath(r.GetValue(workspace)!), catalog, loggers.CreateLogger("xseg"));
            foreach (string dir in r.GetValue(facesets)!)
            {
                FaceSet set = FaceSet.Open(dir);
                int n = await ProgressView.RunAsync($"xseg apply {Path.GetFileName(Path.GetFullPath(dir))}", report =>
                    Task.Run(() => XSegApply.Run(masker, set, new InlineProgress<(int Done, int Total)>(p => report((double)p.Done / p.Total, $"{p.Done}/{p.Total} faces")), ct), ct)).ConfigureAwait(false);
                Console.Out.WriteLine($"{set.Directory}: {n} face(s) masked");
            }

            return ExitCodes.Ok;
        });
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
        var columns = new Option<int>("--columns") { Description = "Faces per row.", DefaultValueFactory = _ => 10 };
        var max = new Option<int>("--max") { Description = "At most this many faces (evenly sampled).", DefaultValueFactory = _ => 100 };
        var tile = new Option<int>("--tile") { Description = "Thumbnail size in pixels.", DefaultValueFactory = _ => 128 };
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
