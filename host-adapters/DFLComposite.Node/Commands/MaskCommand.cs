using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Segmentation;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc mask</c>: a face matte for any footage from a trained XSeg model, no swap.</summary>
internal static class MaskCommand
{
    public static Command Create()
    {
        var d = new MergeSettings();
        var input = new Option<string>("--input", "-i") { Description = "Video or image to matte.", Required = true };
        var workspace = new Option<string>("--workspace", "-w") { Description = "Trained XSeg workspace (dflc xseg train).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "A folder (one grey PNG per frame), a .mov (prores 4444: the footage with the matte as alpha), .mkv (lossless grey matte, ffv1) or .mp4 (grey matte, h264).", Required = true };
        var erode = new Option<int>("--erode") { DefaultValueFactory = _ => d.ErodeMask, Description = "Shrink (+) or grow (-) the matte, -400..400." };
        var blur = new Option<int>("--blur") { DefaultValueFactory = _ => d.BlurMask, Description = "Feather the matte edge, 0..400." };
        var smooth = new Option<double>("--smooth") { DefaultValueFactory = _ => d.Smooth, Description = "Temporal landmark smoothing (0 = off)." };
        var command = new Command("mask", "Write a face matte for every frame of a video (or an image) with a trained XSeg model; output keeps the input's size and frame count.")
        {
            input, workspace, output, erode, blur, smooth,
        };
        command.SetAction(async (r, ct) =>
        {
            string target = Path.GetFullPath(r.GetValue(output)!);
            string ext = Path.GetExtension(target).ToLowerInvariant();
            bool prores = ext == ".mov";
            var settings = new MergeSettings
            {
                MaskMode = "xseg-dst", ErodeMask = r.GetValue(erode), BlurMask = r.GetValue(blur), Smooth = r.GetValue(smooth),
                // .mov: the footage with the matte as alpha; .mkv/.avi: lossless grey matte; .mp4: h264 at crf 0 (lossless luma)
                Codec = prores ? "prores4444" : ext is ".mkv" or ".avi" ? "ffv1" : "h264", Crf = 0, Color = "none",
            };
            settings.Validate();
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            using XSegMasker xseg = XSegMasker.Load(Path.GetFullPath(r.GetValue(workspace)!), catalog, loggers.CreateLogger<XSegMasker>());
            (FaceFinder finder, _) = MergeFinder.Create(catalog, settings);
            var merger = new Merger(finder, new MatteComposer(xseg, settings), settings, loggers.CreateLogger<Merger>());
            MergeResult result = await ProgressView.RunAsync("mask", report => merger.RunAsync(
                r.GetValue(input)!, new MergeOutputs(target, Alpha: prores, MatteOnly: true),
                new InlineProgress<MergeProgress>(p => report((double)p.Frame / Math.Max(1, p.TotalFrames), $"frame {p.Frame}/{p.TotalFrames}, {p.FramesWithFaces} with a face")),
                ct)).ConfigureAwait(false);
            Console.Out.WriteLine($"Matted {result.Frames} frames ({result.FramesWithFaces} with a face) into {result.Output}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
