using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc merge</c>: put the trained model's faces into footage.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var d = new MergeSettings();
        var workspace = new Option<string>("--workspace", "-w") { Description = "Trained model workspace.", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "Destination video or image.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output video (.mp4/.mov/.mkv), image, or a folder for a PNG sequence.", Required = true };
        var maskOutput = new Option<string?>("--mask-output") { Description = "Also write the merge mask (matte) as a PNG sequence into this folder." };
        var settingsFile = new Option<string?>("--settings") { Description = "MergeSettings JSON file (camelCase fields); flags given on the command line override it." };
        var xsegWorkspace = new Option<string?>("--xseg") { Description = "Trained XSeg workspace, for the xseg-* mask modes." };
        var debug = new Option<string?>("--debug") { Description = "Also write dst | prediction | mask | result panels, one PNG per frame with a face, into this folder." };
        var alpha = new Option<bool>("--alpha") { Description = "Put the merge mask in the output's alpha channel (PNG output, or --codec prores4444)." };
        var motionBlur = new Option<int>("--motion-blur") { DefaultValueFactory = _ => d.MotionBlur, Description = "Blur the face along its motion, 0..100." };
        var sharpen = new Option<string>("--sharpen") { DefaultValueFactory = _ => d.Sharpen, Description = "Sharpen filter: box | gaussian." };
        var sharpenAmount = new Option<int>("--sharpen-amount") { DefaultValueFactory = _ => d.SharpenAmount, Description = "Sharpen (+) or soften (-) the face, -100..100." };
        var denoise = new Option<int>("--denoise") { DefaultValueFactory = _ => d.Denoise, Description = "Median denoise of the face, 0..500." };
        var bicubic = new Option<int>("--bicubic-degrade") { DefaultValueFactory = _ => d.BicubicDegrade, Description = "Soften the face by a bicubic down/up scale, 0..100." };
        var colorDegrade = new Option<int>("--color-degrade") { DefaultValueFactory = _ => d.ColorDegrade, Description = "Blend in a 256-colour version of the face, 0..100." };
        var mode = new Option<string>("--mode") { DefaultValueFactory = _ => d.Mode, Description = string.Join(" | ", MergeSettings.Modes) + "." };
        var maskMode = new Option<string>("--mask-mode") { DefaultValueFactory = _ => d.MaskMode, Description = string.Join(" | ", MergeSettings.MaskModes) + "." };
        var erode = new Option<int>("--erode") { DefaultValueFactory = _ => d.ErodeMask, Description = "Shrink (+) or grow (-) the mask, -400..400." };
        var blur = new Option<int>("--blur") { DefaultValueFactory = _ => d.BlurMask, Description = "Feather the mask edge, 0..400." };
        var color = new Option<string>("--color") { DefaultValueFactory = _ => d.Color, Description = "Colour transfer: rct, lct, mkl, mkl-m, idt, idt-m, sot-m, mix-m (plugins; see `dflc plugins`), or none." };
        var faceScale = new Option<int>("--face-scale") { DefaultValueFactory = _ => d.FaceScale, Description = "Face scale, -50..50." };
        var codec = new Option<string>("--codec") { DefaultValueFactory = _ => d.Codec, Description = "h264 | h265 | prores4444 | ffv1." };
        var crf = new Option<int>("--crf") { DefaultValueFactory = _ => d.Crf, Description = "Quality for h264/h265 (lower is better)." };
        var smooth = new Option<double>("--smooth") { DefaultValueFactory = _ => d.Smooth, Description = "Temporal landmark smoothing (0 = off)." };
        var reference = ReferenceOptions.Photos("--reference", "swap");
        var referenceThreshold = ReferenceOptions.Threshold();
        var keys = new Option<string?>("--keyframes") { Description = "JSON of frame -> erodeMask/blurMask/faceScale/motionBlur/sharpenAmount/denoise/bicubicDegrade/colorDegrade (interpolated) and mode/maskMode (held), e.g. {\"0\":{\"erodeMask\":0},\"100\":{\"erodeMask\":40}}." };
        var command = new Command("merge", "Swap the faces of a video or image with a trained model; output keeps the input's size, frame rate, frame count and audio.")
        {
            workspace, input, output, settingsFile, xsegWorkspace, maskOutput, debug, alpha, mode, maskMode, erode, blur, color, faceScale, motionBlur, sharpen, sharpenAmount, denoise, bicubic, colorDegrade,
            codec, crf, smooth, keys, reference, referenceThreshold,
        };
        command.SetAction(async (r, ct) =>
        {
            MergeSettings b = r.GetValue(settingsFile) is { } file ? MergeSettings.Load(file) : new MergeSettings();
            T Get<T>(Option<T> option, T fromFile) => r.GetResult(option) is { Implicit: false } ? r.GetValue(option)! : fromFile;
            var settings = b with
            {
                Mode = Get(mode, b.Mode), MaskMode = Get(maskMode, b.MaskMode), ErodeMask = Get(erode, b.ErodeMask), BlurMask = Get(blur, b.BlurMask),
                Color = Get(color, b.Color), FaceScale = Get(faceScale, b.FaceScale), Codec = Get(codec, b.Codec), Crf = Get(crf, b.Crf), Smooth = Get(smooth, b.Smooth),
                MotionBlur = Get(motionBlur, b.MotionBlur), Sharpen = Get(sharpen, b.Sharpen), SharpenAmount = Get(sharpenAmount, b.SharpenAmount), Denoise = Get(denoise, b.Denoise),
                BicubicDegrade = Get(bicubic, b.BicubicDegrade), ColorDegrade = Get(colorDegrade, b.ColorDegrade),
            };
            settings.Validate();
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            using SwapModelRunner model = SwapModelRunner.Load(r.GetValue(workspace)!, catalog);
            IColorTransfer? transfer = settings.Color == "none" ? null : catalog.Create<IColorTransfer>(settings.Color);
            using XSegMasker? xseg = r.GetValue(xsegWorkspace) is { } xs ? XSegMasker.Load(Path.GetFullPath(xs), catalog, loggers.CreateLogger<XSegMasker>()) : null;
            if (xseg is null && settings.MaskMode.Contains("xseg", StringComparison.Ordinal))
            {
                throw new Engine.UserErrorException($"--mask-mode {settings.MaskMode} needs a trained XSeg model: add --xseg <xseg workspace> (dflc xseg train).");
            }

            (FaceFinder finder, ReferenceFilter? person) = MergeFinder.Create(catalog, settings, r.GetValue(reference), r.GetValue(referenceThreshold));
            MergeKeyframes? keyframes = r.GetValue(keys) is { } k ? MergeKeyframes.Load(k) : null;
            keyframes?.Check(settings, haveXSeg: xseg is not null, r.GetValue(keys)!);
            var merger = new Merger(finder, new FaceComposer(model, settings, transfer, xseg), settings, loggers.CreateLogger<Merger>(), keyframes);
            MergeResult result = await ProgressView.RunAsync("merge", report => merger.RunAsync(
                r.GetValue(input)!, new MergeOutputs(r.GetValue(output)!, r.GetValue(maskOutput), r.GetValue(debug), r.GetValue(alpha)),
                new InlineProgress<MergeProgress>(p => report((double)p.Frame / Math.Max(1, p.TotalFrames), $"frame {p.Frame}/{p.TotalFrames}, {p.FramesWithFaces} with a face")),
                ct)).ConfigureAwait(false);
            if (person is not null)
            {
                Console.Out.WriteLine(ReferenceOptions.Summary(person, "swapped"));
            }

            Console.Out.WriteLine($"Merged {result.Frames} frames ({result.FramesWithFaces} with a face){(result.Audio ? " with the input's audio" : "")} into {result.Output}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
