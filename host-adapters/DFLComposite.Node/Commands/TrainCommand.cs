using System.CommandLine;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc train</c>: train a swap model on two facesets; resumes from the workspace.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var t = new TrainSettings();
        var o = new SwapModelOptions();
        var model = new Option<string>("--model") { Description = "Swap model plugin: saehd, quick96 (see `dflc plugins`).", DefaultValueFactory = _ => "saehd" };
        var srcOpt = new Option<string>("--src") { Description = "Faceset of the person to put in.", Required = true };
        var dstOpt = new Option<string>("--dst") { Description = "Faceset of the person to replace.", Required = true };
        var workspace = new Option<string>("--workspace", "-w") { Description = "Model folder: checkpoints, previews, loss history. An existing one resumes.", Required = true };
        var resolution = new Option<int?>("--resolution") { Description = $"Face resolution, 64-640, multiple of 16 (32 for -d). SAEHD default {o.Resolution}." };
        var faceType = new Option<string?>("--face-type") { Description = $"h | mf | f | wf | head. Default {o.FaceType.ShortName()}." };
        var archi = new Option<string?>("--archi") { Description = $"df | liae, with -u, -d or -ud. Default {o.Archi}." };
        var aeDims = new Option<int?>("--ae-dims") { Description = $"Autoencoder bottleneck. Default {o.AeDims}." };
        var eDims = new Option<int?>("--e-dims") { Description = $"Encoder width. Default {o.EDims}." };
        var dDims = new Option<int?>("--d-dims") { Description = $"Decoder width. Default {o.DDims}." };
        var dMaskDims = new Option<int?>("--d-mask-dims") { Description = $"Mask decoder width. Default {o.DMaskDims}." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => t.BatchSize, Description = "Faces per side per iteration." };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => t.LearningRate, Description = "Learning rate." };
        var optimizer = new Option<string>("--optimizer") { DefaultValueFactory = _ => t.Optimizer, Description = "adabelief | adam." };
        var noMasked = new Option<bool>("--no-masked-training") { Description = "Train on the whole square, not only the face." };
        var noWarp = new Option<bool>("--no-random-warp") { Description = "Turn off random warp (DFL: off for the last polish)." };
        var flipSrc = new Option<bool>("--random-flip-src") { Description = "Mirror src faces at random (off by default)." };
        var noFlipDst = new Option<bool>("--no-random-flip-dst") { Description = "Do not mirror dst faces." };
        var emp = new Option<bool>("--eyes-mouth-prio") { Description = "Weight the eyes and mouth (300 x L1)." };
        var uniformYaw = new Option<bool>("--uniform-yaw") { Description = "Sample src faces evenly over head yaw." };
        var clipGrad = new Option<bool>("--clipgrad") { Description = "Clip the gradient norm (stabilises training)." };
        var loss = new Option<string>("--loss") { DefaultValueFactory = _ => t.Loss, Description = "Image loss terms and weights: dssim, mse, l1." };
        var schedule = new Option<string>("--lr-schedule") { DefaultValueFactory = _ => t.LrSchedule, Description = "constant | cosine | step (the last two over --max-iterations)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => t.Seed, Description = "Seed for weights and sampling (same seed, same run)." };
        var maxIt = new Option<long>("--max-iterations") { Description = "Stop after this iteration (0 = no limit)." };
        var maxMin = new Option<double>("--max-minutes") { Description = "Stop after this many minutes (0 = no limit)." };
        var saveMin = new Option<double>("--save-every-minutes") { DefaultValueFactory = _ => t.SaveEveryMinutes, Description = "Checkpoint interval in minutes." };
        var saveIt = new Option<int>("--save-every") { Description = "Also checkpoint every N iterations (0 = by time only)." };
        var backups = new Option<int>("--backups") { DefaultValueFactory = _ => t.Backups, Description = "Rotating checkpoint backups to keep." };
        var previewEvery = new Option<int>("--preview-every") { DefaultValueFactory = _ => t.PreviewEvery, Description = "Write preview.png every N iterations." };
        var reportEvery = new Option<int>("--report-every") { DefaultValueFactory = _ => t.ReportEvery, Description = "Print a progress line every N iterations." };
        var validateEvery = new Option<int>("--validate-every") { DefaultValueFactory = _ => t.ValidateEvery, Description = "Validation loss on the facesets' val split every N iterations." };
        var patience = new Option<int>("--patience") { Description = "Early stop after N validations without improvement (0 = off)." };
        var identityWeight = new Option<double>("--identity-weight") { Description = "Identity loss on the swap: cosine distance to the src person's descriptor, times this (0 = off; try 0.1-1)." };
        var embedderName = new Option<string>("--embedder") { DefaultValueFactory = _ => "facerec", Description = "Identity embedder for --identity-weight and the identity validation metric." };
        var resume = new Option<bool>("--resume") { Description = "Require an existing model in the workspace (an existing one is always resumed; this makes a missing one an error)." };

        var command = new Command("train", "Train a swap model (SAEHD-class) on a src and a dst faceset. Ctrl+C saves and stops; the same command resumes.")
        {
            model, srcOpt, dstOpt, workspace, resolution, faceType, archi, aeDims, eDims, dDims, dMaskDims, batch, lr, optimizer, noMasked, noWarp,
            flipSrc, noFlipDst, emp, uniformYaw, clipGrad, loss, schedule, seed, maxIt, maxMin, saveMin, saveIt, backups, previewEvery, reportEvery,
            validateEvery, patience, identityWeight, embedderName, resume,
        };
        command.SetAction((r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            ISwapModel swap = catalog.Create<ISwapModel>(r.GetValue(model)!);
            SwapModelOptions defaults = swap.Defaults();
            var given = new HashSet<string>();
            T Pick<T>(Option<T?> opt, string name, T fallback) where T : struct
            {
                T? v = r.GetValue(opt);
                if (v is null)
                {
                    return fallback;
                }

                given.Add(name);
                return v.Value;
            }

            string? ft = r.GetValue(faceType), ar = r.GetValue(archi);
            if (ft is not null)
            {
                given.Add("face-type");
            }

            if (ar is not null)
            {
                given.Add("archi");
            }

            var options = defaults with
            {
                Resolution = Pick(resolution, "resolution", defaults.Resolution),
                FaceType = ft is null ? defaults.FaceType : CliParse.FaceType(ft),
                Archi = ar ?? defaults.Archi,
                AeDims = Pick(aeDims, "ae-dims", defaults.AeDims),
                EDims = Pick(eDims, "e-dims", defaults.EDims),
                DDims = Pick(dDims, "d-dims", defaults.DDims),
                DMaskDims = Pick(dMaskDims, "d-mask-dims", defaults.DMaskDims),
            };
            var settings = new TrainSettings
            {
                BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), Optimizer = r.GetValue(optimizer)!,
                MaskedTraining = !r.GetValue(noMasked), RandomWarp = !r.GetValue(noWarp), RandomFlipSrc = r.GetValue(flipSrc),
                RandomFlipDst = !r.GetValue(noFlipDst), EyesMouthPriority = r.GetValue(emp), UniformYaw = r.GetValue(uniformYaw),
                ClipGrad = r.GetValue(clipGrad), Loss = r.GetValue(loss)!, LrSchedule = r.GetValue(schedule)!, Seed = r.GetValue(seed),
                MaxIterations = r.GetValue(maxIt), MaxMinutes = r.GetValue(maxMin), SaveEveryMinutes = r.GetValue(saveMin),
                SaveEveryIterations = r.GetValue(saveIt), Backups = r.GetValue(backups), PreviewEvery = r.GetValue(previewEvery),
                ReportEvery = r.GetValue(reportEvery), ValidateEvery = r.GetValue(validateEvery), Patience = r.GetValue(patience),
                IdentityWeight = r.GetValue(identityWeight),
            };
            FaceSet src = FaceSet.Open(r.GetValue(srcOpt)!), dst = FaceSet.Open(r.GetValue(dstOpt)!);
            // The embedder is needed for the identity loss; when it is installed it also gives validation its identity metric.
            string embedder = r.GetValue(embedderName)!;
            bool haveEmbedder = catalog.PartsOf<IFaceEmbedder>().Any(p => p.Metadata.Name == embedder);
            IFaceEmbedder? identity = null;
            if (settings.IdentityWeight > 0)
            {
                identity = catalog.Create<IFaceEmbedder>(embedder);
            }
            else if (haveEmbedder)
            {
                try
                {
                    identity = catalog.Create<IFaceEmbedder>(embedder);
                }
                catch (Exception ex) when (ex is ModelFileException or InvalidDataException)
                {
                    // only the validation metric needs it here: train without, and say why
                    loggers.CreateLogger("train").LogWarning("Identity validation metric off: {Reason}", ex.Message);
                }
            }

            var trainer = new Trainer(swap, settings, loggers.CreateLogger<Trainer>(), identity);
            // One line per report: farm logs and terminals alike (a live table would hide the history).
            var lines = new InlineProgress<TrainProgress>(p => Console.Out.WriteLine(FormattableString.Invariant(
                $"[{p.Iteration:D6}] {p.MsPerIteration:F0} ms/it  src {p.SrcLoss:F4}  dst {p.DstLoss:F4}{(float.IsNaN(p.ValLoss) ? "" : $"  val {p.ValLoss:F4}")}{(p.Eta is { } eta ? $"  ETA {eta:hh\\:mm\\:ss}" : "")}{(p.Event is null ? "" : "  " + p.Event)}")));
            string ws = Path.GetFullPath(r.GetValue(workspace)!);
            if (r.GetValue(resume) && !File.Exists(Path.Combine(ws, Checkpoint.FileName)) && !Directory.Exists(Path.Combine(ws, Checkpoint.BackupFolder)))
            {
                throw new Engine.UserErrorException($"--resume: there is no model in {ws} to resume. Check --workspace, or drop --resume to start a new model.");
            }

            TrainResult result = trainer.Run(ws, src, dst, options, given, lines, ct);
            AnsiConsole.MarkupLine($"Stopped at iteration {result.Iteration} ({Markup.Escape(result.StopReason)}). Model: {Markup.Escape(Path.Combine(ws, Checkpoint.FileName))}; preview: {Markup.Escape(Path.Combine(ws, Trainer.PreviewFile))}; losses: {Markup.Escape(Path.Combine(ws, Trainer.LossPlotFile))}");
            return Task.FromResult(result.StopReason == "interrupted" ? ExitCodes.Interrupted : ExitCodes.Ok);
        });
        return command;
    }
}
