using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// The merge mask in face space at the working resolution: the dst landmark hull, the model's learned masks, or the
/// whole square, then eroded / dilated and feathered (sizes are given in pixels of a 256-px face).
/// </summary>
internal static class MergeMask
{
    /// <summary>Whether a mask mode uses the model's learned mask of its prediction (the learned-prd modes).</summary>
    public static bool NeedsPredictedMask(string maskMode) =>
        maskMode.Contains("learned-prd", StringComparison.Ordinal);

    /// <summary>Whether a mask mode uses the model's learned mask of the dst face (the learned-dst modes).</summary>
    public static bool NeedsDstMask(string maskMode) =>
        maskMode.Contains("learned-dst", StringComparison.Ordinal);

    /// <param name="xsegPrd">XSeg's mask of the prediction at the working resolution (xseg modes only).</param>
    /// <param name="xsegDst">XSeg's mask of the dst face at the working resolution (xseg modes only).</param>
    public static Mat Build(MergeSettings settings, PointF[] faceLandmarks, float[] prdMask, float[] dstMask, int res, int work, Mat? xsegPrd = null, Mat? xsegDst = null)
    {
        var mask = new Mat(work, work, MatType.CV_32FC1, Scalar.All(0));
        if (settings.Mode == "raw-rgb" || settings.MaskMode == "full")
        {
            mask.SetTo(Scalar.All(1));
        }
        else if (settings.MaskMode == "dst")
        {
            Point[] hull = Cv2.ConvexHull(faceLandmarks.Select(p => new Point((int)Math.Round(p.X), (int)Math.Round(p.Y))));
            Cv2.FillConvexPoly(mask, hull, Scalar.All(1));
        }
        else if (settings.MaskMode.StartsWith("xseg", StringComparison.Ordinal))
        {
            // xseg-prd, xseg-dst or their product
            (settings.MaskMode == "xseg-prd" ? xsegPrd : xsegDst)!.CopyTo(mask);
            if (settings.MaskMode == "xseg-prd*xseg-dst")
            {
                Cv2.Multiply(mask, xsegPrd!, mask);
            }
        }
        else
        {
            float[] combined = settings.MaskMode switch
            {
                "learned-prd" => prdMask,
                "learned-dst" => dstMask,
                "learned-prd*learned-dst" or XSegMasks.AllFour => prdMask.Zip(dstMask, (a, b) => a * b).ToArray(),
                _ => prdMask.Zip(dstMask, (a, b) => Math.Min(1f, a + b)).ToArray(),
            };
            using Mat learned = Mat.FromPixelData(res, res, MatType.CV_32FC1, combined);
            Cv2.Resize(learned, mask, new Size(work, work), interpolation: InterpolationFlags.Linear);
            if (settings.MaskMode == XSegMasks.AllFour)
            {
                Cv2.Multiply(mask, xsegPrd!, mask);
                Cv2.Multiply(mask, xsegDst!, mask);
            }
        }

        if (settings.Mode == "raw-rgb")
        {
            return mask;
        }

        double scale = work / 256.0;
        int erode = (int)Math.Round(settings.ErodeMask * scale);
        if (erode != 0)
        {
            int k = (Math.Abs(erode) * 2) + 1;
            using Mat kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(k, k));
            if (erode > 0)
            {
                Cv2.Erode(mask, mask, kernel);
            }
            else
            {
                Cv2.Dilate(mask, mask, kernel);
            }
        }

        int blur = (int)Math.Round(settings.BlurMask * scale);
        if (blur > 0)
        {
            // Feather inwards: erode by half the blur first so the soft edge stays inside the face.
            using Mat kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(blur + 1, blur + 1));
            Cv2.Erode(mask, mask, kernel);
            int k = (blur * 2) + 1;
            Cv2.GaussianBlur(mask, mask, new Size(k, k), 0);
        }

        return mask;
    }

}
