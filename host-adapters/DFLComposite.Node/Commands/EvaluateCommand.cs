using System.CommandLine;
using System.Globalization;
using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc evaluate</c>: how good a swap is, in numbers, with an HTML report.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "Trained model workspace.", Required = true };
        var src = new Option<string>("--src") { Description = "The src faceset (its test split is used for reconstruction when it has one).", Required = true };
        var dst = new Option<string>("--dst") { Description = "A dst video (merged and compared frame by frame) or a dst faceset.", Required = true };
        var output = new Option<string>("--output", "-o") { DefaultValueFactory = _ => "report", Description = "Folder for report.json, index.html, plots and thumbnails." };
        var embedderName = new Option<string>("--embedder") { DefaultValueFactory = _ => ReferenceFilter.DefaultEmbedder, Description = "Identity embedding plugin." };
        var command = new Command("evaluate", "Measure a trained model: identity, expression/pose fidelity, reconstruction SSIM/PSNR, temporal stability; writes report.json and index.html.")
        {
            workspace, src, dst, output, embedderName,
        };
        command.SetAction(async (r, ct) =>
        {
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            string ws = Path.GetFullPath(r.GetValue(workspace)!), folder = Path.GetFullPath(r.GetValue(output)!);
            using SwapModelRunner model = SwapModelRunner.Load(ws, catalog);
            var extract = new ExtractSettings();
            var finder = new FaceFinder(catalog.Create<IFaceDetector>(extract.Detector), catalog.Create<ILandmarker>(extract.Landmarker), extract);
            var evaluator = new SwapEvaluator(finder, catalog.Create<IFaceEmbedder>(r.GetValue(embedderName)!), catalog.Create<IColorTransfer>("rct"), loggers.CreateLogger<SwapEvaluator>());
            FaceSet srcSet = FaceSet.Open(r.GetValue(src)!);
            EvaluationReport report = await ProgressView.RunAsync("evaluate", report => evaluator.RunAsync(
                ws, model, srcSet, Path.GetFullPath(r.GetValue(dst)!), folder,
                new InlineProgress<EvaluateProgress>(p => report(p.Fraction, p.Stage)), ct)).ConfigureAwait(false);
            await ReportWriter.WriteAsync(report, folder, finder, ct).ConfigureAwait(false);
            Print(report);
            Console.Out.WriteLine($"Report: {Path.Combine(folder, ReportWriter.HtmlFile)} ({ReportWriter.JsonFile} beside it)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(EvaluationReport r)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (ReconstructionMetrics m in r.Reconstruction)
        {
            Console.Out.WriteLine(string.Format(c, "{0}->{0}: SSIM {1:0.000}, PSNR {2:0.0} dB on {3} faces{4}", m.Side, m.Ssim, m.Psnr, m.Faces, m.HeldOut ? " (held out)" : ""));
        }

        if (r.Identity is { } id)
        {
            Console.Out.WriteLine(string.Format(c, "identity distance: swapped->src {0:0.000}, swapped->dst {1:0.000}, original dst->src {2:0.000} (same person below {3:0.00}); {4:P0} of frames closer to src",
                id.SwappedToSrc, id.SwappedToDst, id.OriginalToSrc, id.Threshold, id.FractionCloserToSrc));
        }

        if (r.Fidelity is { } f)
        {
            Console.Out.WriteLine(string.Format(c, "fidelity: landmark error {0:0.000} eye distances, yaw diff {1:0.0} deg, pitch diff {2:0.0} deg", f.LandmarkError, f.YawDifference, f.PitchDifference));
        }

        if (r.Temporal is { } t)
        {
            Console.Out.WriteLine(string.Format(c, "temporal: jitter {0:0.0000} (dst {1:0.0000}), flicker {2:0.00} (dst {3:0.00})", t.SwappedJitter, t.DstJitter, t.SwappedFlicker, t.DstFlicker));
        }
    }
}
