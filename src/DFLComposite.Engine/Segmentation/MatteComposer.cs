using DFLComposite.Engine.Align;
using DFLComposite.Engine.Merge;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// <c>dflc mask</c>: a face matte for any footage, no swap. Each tracked face is cut at XSeg's face type and
/// resolution, masked by XSeg, the mask shaped like a merge mask (erode, blur) and warped back into the frame. The
/// frame's pixels are left alone; the streaming <see cref="Merger"/> writes the mattes.
/// </summary>
public sealed class MatteComposer(XSegMasker xseg, MergeSettings defaults) : IFaceCompositor
{
    public int Resolution => xseg.Resolution;

    public ComposedFace Compose(Mat frame, Mat frame8, IReadOnlyList<PointF> landmarks68, MergeSettings? frameSettings = null, (double X, double Y) motion = default, bool debug = false)
    {
        MergeSettings settings = (frameSettings ?? defaults) with { Mode = "overlay", MaskMode = "xseg-dst" };
        int res = xseg.Resolution, work = Math.Max(256, res);
        Affine2D toX = FaceAligner.ImageToFace(landmarks68, xseg.Options.FaceType, res);
        Affine2D toWork = new Affine2D((double)work / res, 0, 0, 0, (double)work / res, 0).After(toX);
        (_, Mat? dst) = XSegMasks.Compute(xseg, frame8, landmarks68, toX, toWork, [], res, work, settings.MaskMode);
        using (dst)
        {
            using Mat mask = MergeMask.Build(settings, toWork.Apply(landmarks68), [], [], res, work, null, dst);
            using Mat map = FaceWarper.ToMat(toWork);
            (Mat regionMask, Rect region) = FaceComposer.MaskToFrame(mask, map, frame.Size());
            return new ComposedFace(regionMask, region, null, null);
        }
    }
}
