using DFLComposite.Engine.Align;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Faces;
using DFLComposite.Merge;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// Puts one swapped face into a frame, DeepFaceLab's MergeMasked in short: cut the dst face at the model's face
/// type and resolution, predict, build the mask (dst hull / learned / full; erode, blur), colour-match the prediction
/// to the dst face, warp prediction and mask back to the frame and blend inside the mask's bounding box only.
/// Pixels outside the mask are never written.
/// </summary>
/// <param name="xseg">A trained XSeg model for the xseg mask modes (optional).</param>
public sealed class FaceComposer(SwapModelRunner model, MergeSettings defaults, IColorTransfer? color, XSegMasker? xseg = null) : IFaceCompositor
{
    /// <summary>Side of the model's face square.</summary>
    public int Resolution => model.Options.Resolution;

    /// <summary>Merges one face into <paramref name="frame"/> (BGR at 8 bits, 16 bits or float, modified in place).</summary>
    /// <param name="frame8">The same frame as 8-bit BGR, for the XSeg masks (the same Mat when the frame is 8-bit).</param>
    /// <param name="frameSettings">This frame's settings (from keyframes), or null for the defaults.</param>
    /// <param name="motion">The face's movement per frame in frame pixels (for motion blur).</param>
    /// <param name="debug">Also return the dst | prediction | mask | result panels.</param>
    public ComposedFace Compose(Mat frame, Mat frame8, IReadOnlyList<PointF> landmarks68, MergeSettings? frameSettings = null, (double X, double Y) motion = default, bool debug = false)
    {
        MergeSettings settings = frameSettings ?? defaults;
        int res = model.Options.Resolution;
        Affine2D toFace = FaceAligner.ImageToFace(landmarks68, model.Options.FaceType, res);
        if (settings.FaceScale != 0)
        {
            // scale the crop about its centre: a larger face scale shows less around the face
            double k = 1 + (settings.FaceScale / 100.0), c = res / 2.0;
            toFace = new Affine2D(k, 0, c - (k * c), 0, k, c - (k * c)).After(toFace);
        }

        using Mat map = FaceWarper.ToMat(toFace);
        using Mat crop = FaceCrop.Float(frame, map, res);
        crop.GetArray(out Vec3f[] cropPixels);
        float[] cropFlat = Flatten(cropPixels);

        bool raw = settings.Mode.StartsWith("raw", StringComparison.Ordinal);
        (float[] predicted, float[] prdMask, float[] dstMask) = model.Swap(
            cropFlat,
            withPredictedMask: !raw && MergeMask.NeedsPredictedMask(settings.MaskMode),
            withDstMask: !raw && MergeMask.NeedsDstMask(settings.MaskMode));
        if (settings.Mode == "raw-predict")
        {
            return ComposedFace.RawPrediction(Mat.FromPixelData(res, res, MatType.CV_32FC3, predicted));
        }

        // The mask is built at a working resolution of at least 256 px, so its edge stays smooth on faces larger
        // than the model's resolution (a 64-px mask warped up 8x would show its pixels).
        int work = Math.Max(256, res);
        double up = (double)work / res;
        Affine2D toWork = new Affine2D(up, 0, 0, 0, up, 0).After(toFace);
        Mat? xsegPrd = null, xsegDst = null;
        if (!raw && XSegMasks.Needed(settings.MaskMode))
        {
            XSegMasker x = xseg ?? throw Settings.JobValidationException.For("xseg", $"mask mode {settings.MaskMode} needs a trained XSeg model: give its workspace (dflc xseg train)");
            (xsegPrd, xsegDst) = XSegMasks.Compute(x, frame8, landmarks68, toFace, toWork, predicted, res, work, settings.MaskMode);
        }

        Mat mask;
        using (Diagnostics.StageTimes.Measure("mask"))
        {
            mask = MergeMask.Build(settings, toWork.Apply(landmarks68), prdMask, dstMask, res, work, xsegPrd, xsegDst);
        }

        using var maskOwner = mask;
        xsegPrd?.Dispose();
        xsegDst?.Dispose();

        float[] face = predicted;
        if (!raw)
        {
            using var small = new Mat();
            Cv2.Resize(mask, small, new Size(res, res), interpolation: InterpolationFlags.Area);
            small.GetArray(out float[] m);
            if (color is not null)
            {
                using var _ = Diagnostics.StageTimes.Measure("color");
                face = color.Transfer(new FaceImage(res, res, 3, face), new FaceImage(res, res, 3, cropFlat), new FaceImage(res, res, 1, m)).Pixels;
            }

            if (settings.Mode.EndsWith("hist-match", StringComparison.Ordinal))
            {
                face = HistogramMatch.Apply(face, cropFlat, m);
            }
        }

        using Mat prediction = Mat.FromPixelData(res, res, MatType.CV_32FC3, face).Clone();
        if (!raw)
        {
            double scale = toFace.Scale;
            using var _ = Diagnostics.StageTimes.Measure("effects");
            FaceEffects.Apply(prediction, settings, (motion.X * scale, motion.Y * scale));
        }

        // A colour transfer can push the face past white or below black. DeepFaceLab clips the face there; so do we,
        // so that a float frame gets the face an 8-bit frame gets (8-bit saturation used to hide it, float kept it).
        Cv2.Min(prediction, Scalar.All(1), prediction);
        Cv2.Max(prediction, Scalar.All(0), prediction);

        using Mat mapWork = FaceWarper.ToMat(toWork);
        Mat regionMask;
        Rect region;
        using (Diagnostics.StageTimes.Measure("blend"))
        {
            (regionMask, region) = Blend(frame, prediction, map, mask, mapWork, seamless: settings.Mode.StartsWith("seamless", StringComparison.Ordinal));
        }

        Mat? panels = debug ? DebugPanels.Build(crop, prediction, mask, frame, map, res) : null;
        return new ComposedFace(regionMask, region, panels, null);
    }

    // Blends in float at any frame depth: prediction * mask + frame * (1 - mask), rounded back to the frame's depth.
    // Everything happens in the face's region of the frame; the returned mask covers that region only.
    private static (Mat Mask, Rect Region) Blend(Mat frame, Mat prediction, Mat toFace, Mat mask, Mat toMask, bool seamless)
    {
        (Mat maskRoi, Rect box) = MaskToFrame(mask, toMask, frame.Size());
        if (box.Width <= 0 || box.Height <= 0)
        {
            return (maskRoi, box);
        }

        // Only the part of the region the mask touches is warped and blended: for whole faces that is about half of
        // the square, and everything beyond it would be left as it was anyway. Poisson cloning keeps the whole square:
        // it needs frame pixels around the mask.
        Rect inner = seamless ? new Rect(0, 0, box.Width, box.Height) : MaskBlend.Bounds(maskRoi);
        if (inner.Width <= 0 || inner.Height <= 0)
        {
            return (maskRoi, box);
        }

        var touched = new Rect(box.X + inner.X, box.Y + inner.Y, inner.Width, inner.Height);
        using Mat predMap = Shift(toFace, touched);
        using var predRoi = new Mat();
        Cv2.WarpAffine(prediction, predRoi, predMap, touched.Size, InterpolationFlags.Cubic | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        using var roi = new Mat(frame, touched);
        using var maskIn = new Mat(maskRoi, inner);
        if (seamless)
        {
            SeamlessBlend(roi, predRoi, maskIn);
        }
        else
        {
            MaskBlend.Apply(roi, predRoi, maskIn);
        }

        return (maskRoi, box);
    }

    // The seamless modes: the plain blend, then Poisson cloning inside the binary mask.
    private static void SeamlessBlend(Mat roi, Mat predRoi, Mat maskIn)
    {
        double full = Media.FramePixels.FullScale(roi.Type());
        using Mat blended = roi.Clone();
        MaskBlend.Apply(blended, predRoi, maskIn);
        using var inside = new Mat();
        maskIn.ConvertTo(inside, MatType.CV_8UC1, 255);
        SeamlessClone(roi, blended, inside, full);
        // Copy back only where the mask is non-zero, so pixels outside it stay bit-identical (float compare too).
        blended.CopyTo(roi, inside);
    }

    /// <summary>
    /// The face-square mask (side <c>mask.Width</c>) warped into the frame: the frame rectangle the square covers (the
    /// only part that can be non-zero) and the CV_32F mask over it. Values under 1/512 are zeroed: they would round to no change.
    /// </summary>
    internal static (Mat RegionMask, Rect Box) MaskToFrame(Mat mask, Mat frameToMask, Size frame)
    {
        // Work only in the frame region the face square covers: warping whole 4K frames per face is the slow part.
        Rect box = CoveredRegion(frameToMask, mask.Width, frame.Width, frame.Height);
        if (box.Width <= 0 || box.Height <= 0)
        {
            return (new Mat(), default);
        }

        using Mat maskMap = Shift(frameToMask, box);
        var maskRoi = new Mat();
        Cv2.WarpAffine(mask, maskRoi, maskMap, box.Size, InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Constant, Scalar.All(0));
        Cv2.Threshold(maskRoi, maskRoi, 1.0 / 512, 0, ThresholdTypes.Tozero);
        // and never past 1: a mask over 1 extrapolates past the face (8-bit saturation hid it, a float frame kept it)
        Cv2.Min(maskRoi, Scalar.All(1), maskRoi);
        return (maskRoi, box);
    }

    // Poisson blending (OpenCV's seamlessClone, as DeepFaceLab's seamless mode): the face keeps its gradients but
    // takes the frame's colours at the mask edge. Done in place on the blended region, inside the binary mask.
    // OpenCV's seamlessClone takes 8-bit images only: a 16-bit or float frame is cloned at 8 bits inside the mask.
    private static void SeamlessClone(Mat frameRoi, Mat blended, Mat mask8, double full)
    {
        if (full != 255)
        {
            using var roi8 = new Mat();
            using var blended8 = new Mat();
            frameRoi.ConvertTo(roi8, MatType.CV_8UC3, 255 / full);
            blended.ConvertTo(blended8, MatType.CV_8UC3, 255 / full);
            SeamlessClone(roi8, blended8, mask8, 255);
            using var back = new Mat();
            blended8.ConvertTo(back, blended.Type(), full / 255);
            back.CopyTo(blended, mask8);
            return;
        }

        using var binary = new Mat();
        Cv2.Threshold(mask8, binary, 127, 255, ThresholdTypes.Binary);
        // seamlessClone needs the mask away from the image border
        Cv2.Rectangle(binary, new Rect(0, 0, binary.Width, binary.Height), Scalar.All(0), 2);
        Rect r = Cv2.BoundingRect(binary);
        if (r.Width < 4 || r.Height < 4)
        {
            return;
        }

        using var cloned = new Mat();
        var centre = new Point(r.X + (r.Width / 2), r.Y + (r.Height / 2));
        Cv2.SeamlessClone(blended, frameRoi, binary, centre, cloned, SeamlessCloneFlags.NormalClone);
        cloned.CopyTo(blended, binary);
    }

    // The frame rectangle covered by the face square (face pixels 0..size) under the inverse of frameToFace.
    internal static Rect CoveredRegion(Mat frameToFace, int size, int width, int height)
    {
        Affine2D inverse = Affine2D.FromArray(Enumerable.Range(0, 6).Select(i => frameToFace.At<double>(i / 3, i % 3)).ToArray()).Invert();
        PointF[] corners = inverse.Apply(new PointF[] { new(0, 0), new(size, 0), new(size, size), new(0, size) });
        int x0 = Math.Max(0, (int)Math.Floor(corners.Min(p => p.X)) - 2), y0 = Math.Max(0, (int)Math.Floor(corners.Min(p => p.Y)) - 2);
        int x1 = Math.Min(width, (int)Math.Ceiling(corners.Max(p => p.X)) + 2), y1 = Math.Min(height, (int)Math.Ceiling(corners.Max(p => p.Y)) + 2);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    // frame->face map for a region starting at box.TopLeft: face = M * (roi + offset).
    internal static Mat Shift(Mat frameToFace, Rect box)
    {
        Mat m = frameToFace.Clone();
        m.Set(0, 2, m.At<double>(0, 2) + (m.At<double>(0, 0) * box.X) + (m.At<double>(0, 1) * box.Y));
        m.Set(1, 2, m.At<double>(1, 2) + (m.At<double>(1, 0) * box.X) + (m.At<double>(1, 1) * box.Y));
        return m;
    }

    private static float[] Flatten(Vec3f[] pixels)
    {
        var flat = new float[pixels.Length * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            flat[i * 3] = pixels[i].Item0;
            flat[(i * 3) + 1] = pixels[i].Item1;
            flat[(i * 3) + 2] = pixels[i].Item2;
        }

        return flat;
    }
}
