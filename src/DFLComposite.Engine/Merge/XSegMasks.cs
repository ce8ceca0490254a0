using DFLComposite.Engine.Align;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// XSeg's masks for a merge: of the dst face (cut from the frame at XSeg's own face type and resolution) and of the
/// prediction (moved from the swap model's square into XSeg's), both returned in the merge mask's working square.
/// The two models need not share face type or resolution: every step goes through the frame's coordinates.
/// </summary>
internal static class XSegMasks
{
    public const string AllFour = "learned-prd*learned-dst*xseg-prd*xseg-dst";

    public static bool Needed(string maskMode) => maskMode.Contains("xseg", StringComparison.Ordinal);

    /// <param name="frame">The frame (BGR 8-bit) before blending.</param>
    /// <param name="toFace">Frame to swap-model square.</param>
    /// <param name="toWork">Frame to working square (side <paramref name="work"/>).</param>
    /// <param name="predicted">The raw prediction, BGR float [0, 1] HWC in the swap-model square.</param>
    public static (Mat? Prd, Mat? Dst) Compute(XSegMasker xseg, Mat frame, IReadOnlyList<PointF> landmarks68, Affine2D toFace, Affine2D toWork, float[] predicted, int res, int work, string maskMode)
    {
        int xres = xseg.Resolution;
        Affine2D toX = FaceAligner.ImageToFace(landmarks68, xseg.Options.FaceType, xres);
        Affine2D workFromX = toWork.After(toX.Invert());
        Mat? prd = null, dst = null;
        if (maskMode.Contains("xseg-dst", StringComparison.Ordinal))
        {
            using Mat map = FaceWarper.ToMat(toX);
            using var crop = new Mat();
            Cv2.WarpAffine(frame, crop, map, new Size(xres, xres), InterpolationFlags.Linear, BorderTypes.Replicate);
            dst = ToWork(xseg.Predict(Frame(crop)), xres, workFromX, work);
        }

        if (maskMode.Contains("xseg-prd", StringComparison.Ordinal))
        {
            using Mat prediction = Mat.FromPixelData(res, res, MatType.CV_32FC3, predicted);
            using var prediction8 = new Mat();
            prediction.ConvertTo(prediction8, MatType.CV_8UC3, 255);
            using Mat map = FaceWarper.ToMat(toX.After(toFace.Invert()));
            using var inX = new Mat();
            Cv2.WarpAffine(prediction8, inX, map, new Size(xres, xres), InterpolationFlags.Linear, BorderTypes.Replicate);
            prd = ToWork(xseg.Predict(Frame(inX)), xres, workFromX, work);
        }

        return (prd, dst);
    }

    private static Mat ToWork(float[] mask, int xres, Affine2D workFromX, int work)
    {
        using Mat m = Mat.FromPixelData(xres, xres, MatType.CV_32FC1, mask);
        using Mat map = FaceWarper.ToMat(workFromX);
        var result = new Mat();
        Cv2.WarpAffine(m, result, map, new Size(work, work), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return result;
    }

    private static ImageFrame Frame(Mat bgr8)
    {
        bgr8.GetArray(out Vec3b[] px);
        return new ImageFrame(bgr8.Width, bgr8.Height, System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).ToArray());
    }
}
