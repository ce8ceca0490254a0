using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Merge;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc swap</c>: extract both people, train, merge — resumable at each stage.</summary>
internal static class SwapCommand
{
    public static Command Create()
    {
        var src = new Option<string[]>("--src") { Description = "Videos/photos/folders of the person to put in.", Required = true, AllowMultipleArgumentsPerToken = true };
        var dst = new Option<string>("--dst") { Description = "The video whose face is replaced.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output video (or folder for a PNG sequence).", Required = true };
        var workspace = new Option<string>("--workspace", "-w") { Description = "Folder for facesets and the model; a re-run resumes from it.", Required = true };
        var model = new Option<string>("--model") { DefaultValueFactory = _ => "quick96", Description = "Swap model plugin (quick96 is fast; saehd for quality)." };
        var minutes = new Option<double>("--minutes") { Description = "Train for this many minutes (this run)." };
        var iterations = new Option<long>("--iterations") { Description = "Train up to this iteration." };
        var resolution = new Option<int?>("--resolution") { Description = "Model resolution (default: the model's)." };
        var dims = new Option<string?>("--dims") { Description = "ae/e/d/mask dims (default: the model's)." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8, Description = "Training batch size." };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 5e-5, Description = "Learning rate." };
        var color = new Option<string>("--color") { DefaultValueFactory = _ => "rct", Description = "Colour transfer for the merge, or none." };
        var srcReference = ReferenceOptions.Photos("--src-reference", "take from --src");
        var dstReference = ReferenceOptions.Photos("--dst-reference", "replace in --dst");
        var referenceThreshold = ReferenceOptions.Threshold();
        var identityWeight = new Option<double>("--identity-weight") { Description = "Weight of the identity loss (the swap should carry the src person's identity; 0 = off)." };
        var command = new Command("swap", "Extract both people, train and merge in one resumable run: a face-swapped copy of --dst.")
        {
            src, dst, output, workspace, model, minutes, iterations, resolution, dims, batch, lr, color, srcReference, dstReference, referenceThreshold, identityWeight,
        };
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(minutes) <= 0 && r.GetValue(iterations) <= 0)
            {
                throw new Engine.UserErrorException("Say how long to train: --minutes N or --iterations N.");
            }

            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            ISwapModel swapModel = catalog.Create<ISwapModel>(r.GetValue(model)!);
            SwapModelOptions options = swapModel.Defaults();
            if (r.GetValue(resolution) is { } res)
            {
                options = options with { Resolution = res };
            }

            if (r.GetValue(dims) is { } text)
            {
                int[] d = text.Split('/').Select(int.Parse).ToArray();
                options = options with { AeDims = d[0], EDims = d[1], DDims = d[2], DMaskDims = d[3] };
            }

            var train = new TrainSettings
            {
                MaxMinutes = r.GetValue(minutes), MaxIterations = r.GetValue(iterations), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), IdentityWeight = r.GetValue(identityWeight),
                SaveEveryMinutes = 5, PreviewEvery = 100, ReportEvery = 10,
            };
            var merge = new MergeSettings { Color = r.GetValue(color)! };
            train.Validate();
            var extract = new Engine.Extract.ExtractSettings();
            IFaceDetector detector = catalog.Create<IFaceDetector>(extract.Detector);
            ILandmarker landmarker = catalog.Create<ILandmarker>(extract.Landmarker);
            float? threshold = r.GetValue(referenceThreshold);
            var parts = new SwapParts(
                detector, landmarker, swapModel, merge.Color == "none" ? null : catalog.Create<IColorTransfer>(merge.Color),
                ReferenceOptions.Filter(catalog, detector, landmarker, r.GetValue(srcReference), threshold, extract.MinScore),
                ReferenceOptions.Filter(catalog, detector, landmarker, r.GetValue(dstReference), threshold, extract.MinScore),
                train.IdentityWeight > 0 ? catalog.Create<IFaceEmbedder>(ReferenceFilter.DefaultEmbedder) : null);
            var job = new SwapJob(parts, new SwapJobSettings(options, train, merge), loggers);
            MergeResult result = await ProgressView.RunAsync("swap", report => job.RunAsync(
                r.GetValue(src)!, r.GetValue(dst)!, r.GetValue(output)!, Path.GetFullPath(r.GetValue(workspace)!),
                new InlineProgress<SwapProgress>(p => report(p.Fraction, $"{p.Stage}: {p.Detail}")), ct)).ConfigureAwait(false);
            if (parts.DstPerson is not null)
            {
                Console.Out.WriteLine(ReferenceOptions.Summary(parts.DstPerson, "extracted and swapped"));
            }

            Console.Out.WriteLine($"Swapped {result.FramesWithFaces} of {result.Frames} frames into {result.Output}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
