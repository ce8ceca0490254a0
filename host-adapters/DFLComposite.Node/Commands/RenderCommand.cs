using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Commands;

/// <summary>
/// <c>dflc render --job job.json --frames A-B</c>: the render-farm contract. One chunk of a job, PROGRESS lines on
/// stdout, the documented exit codes, frames written atomically so a re-run chunk is safe.
/// </summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var job = new Option<string>("--job") { Description = "Job file (JSON: kind merge|mask, workspace, xseg, input, output folder, maskOutput, alpha, reference photos, referenceThreshold, settings).", Required = true };
        var frames = new Option<string>("--frames") { Description = "Frames to render: A-B or A (input frame numbers from 0, inclusive).", Required = true };
        var preRoll = new Option<int>("--pre-roll") { DefaultValueFactory = _ => 12, Description = "Frames before the chunk that are tracked (not written), so chunks join smoothly." };
        var command = new Command("render", "Render frames A-B of a job into its image-sequence folders (for render farms: Deadline, OpenCue, Tractor, Flamenco ...).")
        {
            job, frames, preRoll,
        };
        command.SetAction(async (r, ct) =>
        {
            RenderJob j = RenderJob.Load(r.GetValue(job)!);
            MergeRange range = RenderJob.ParseFrames(r.GetValue(frames)!, Math.Max(0, r.GetValue(preRoll)));
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            MergeSettings settings = j.Settings;
            (FaceFinder finder, _) = MergeFinder.Create(catalog, settings, j.Reference, j.ReferenceThreshold);
            using XSegMasker? xseg = j.XSeg is null ? null : XSegMasker.Load(j.XSeg, catalog, loggers.CreateLogger<XSegMasker>());
            using SwapModelRunner? model = j.Kind == "merge" ? SwapModelRunner.Load(j.Workspace!, catalog) : null;
            IFaceCompositor compositor = model is not null
                ? new FaceComposer(model, settings, settings.Color == "none" ? null : catalog.Create<IColorTransfer>(settings.Color), xseg)
                : new MatteComposer(xseg!, settings);
            var outputs = new MergeOutputs(j.Output, j.MaskOutput, null, j.Alpha, MatteOnly: j.Kind == "mask");
            var merger = new Merger(finder, compositor, settings, loggers.CreateLogger<Merger>());
            MergeResult result = await ProgressView.RunAsync("render", report => merger.RunAsync(
                j.Input, outputs, range,
                new InlineProgress<MergeProgress>(p => report((double)p.Frame / Math.Max(1, p.TotalFrames), $"frame {range.First + p.Frame - 1} ({p.Frame}/{p.TotalFrames})")),
                ct)).ConfigureAwait(false);
            Console.Out.WriteLine($"Rendered frames {range.First}-{range.First + result.Frames - 1} ({result.FramesWithFaces} with a face) into {result.Output}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
