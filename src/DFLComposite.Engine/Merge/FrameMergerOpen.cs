using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Merge;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Merge;

public sealed partial class FrameMerger
{
    /// <summary>
    /// A session for a merge or mask job: the parts (swap model, XSeg model, colour transfer, face finder, keyframes)
    /// built from the catalog once, held until the session is disposed.
    /// </summary>
    /// <param name="fps">The clip's frame rate (the smoother's time step; hosts pass their timeline's).</param>
    public static FrameMerger Open(FrameJob job, JobContext context, double fps)
    {
        var owned = new List<IDisposable>();
        try
        {
            switch (job)
            {
                case MergeJob merge:
                {
                    MergeSettings settings = merge.Settings;
                    SwapModelRunner model = SwapModelRunner.Load(merge.Workspace, context.Catalog, context.Loggers.CreateLogger<SwapModelRunner>());
                    owned.Add(model);
                    XSegMasker? xseg = merge.XSeg is null ? null : XSegMasker.Load(merge.XSeg, context.Catalog, context.Loggers.CreateLogger<XSegMasker>());
                    if (xseg is not null)
                    {
                        owned.Add(xseg);
                    }

                    IColorTransfer? color = settings.NoColorTransfer ? null : context.Catalog.Create<IColorTransfer>(settings.Color);
                    MergeKeyframes? keyframes = merge.Keyframes is null ? null : MergeKeyframes.Load(merge.Keyframes);
                    keyframes?.Check(settings, haveXSeg: xseg is not null, merge.Keyframes!);
                    FaceFinder finder = FaceFinders.ForMerge(context.Catalog, settings, merge.Reference, merge.ReferenceThreshold);
                    return new FrameMerger(finder, new FaceComposer(model, settings, color, xseg), settings, fps, keyframes, new Owned(owned));
                }

                case MaskJob mask:
                {
                    MergeSettings settings = mask.MatteSettings();
                    XSegMasker xseg = XSegMasker.Load(mask.Workspace, context.Catalog, context.Loggers.CreateLogger<XSegMasker>());
                    owned.Add(xseg);
                    FaceFinder finder = FaceFinders.ForMerge(context.Catalog, settings, mask.Reference, mask.ReferenceThreshold);
                    return new FrameMerger(finder, new MatteComposer(xseg, settings), settings, fps, null, new Owned(owned));
                }

                default:
                    throw new ArgumentException($"{job.Kind} jobs have no frame session", nameof(job));
            }
        }
        catch
        {
            new Owned(owned).Dispose();
            throw;
        }
    }

    private sealed class Owned(List<IDisposable> parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable p in parts)
            {
                p.Dispose();
            }
        }
    }
}
