using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// The dst face square cut from a frame at any depth, as BGR float in [0, 1]: the frame region the square covers is
/// converted to float first and warped there, so 8-bit, 16-bit and float frames give the same crop for the same
/// picture (no rounding to 8 bits before the model), and a 4K frame is never converted whole.
/// </summary>
internal static class FaceCrop
{
    // Bicubic reads two pixels beyond the covered area; one more for rounding.
    private const int Margin = 3;

    /// <param name="frame">BGR, CV_8UC3, CV_16UC3 or CV_32FC3.</param>
    /// <param name="frameToFace">2x3 CV_64F map from frame to face square.</param>
    public static Mat Float(Mat frame, Mat frameToFace, int res)
    {
        using var _ = Diagnostics.StageTimes.Measure("crop");
        double full = Media.FramePixels.FullScale(frame.Type());
        Rect region = FaceComposer.CoveredRegion(frameToFace, res, frame.Width, frame.Height);
        region = Grow(region, Margin, frame.Width, frame.Height);
        var crop = new Mat();
        if (region.Width <= 0 || region.Height <= 0)
        {
            // the square lies wholly outside the frame: what a warp with replicated borders gives is the nearest edge
            region = new Rect(Math.Clamp(region.X, 0, frame.Width - 1), Math.Clamp(region.Y, 0, frame.Height - 1), 1, 1);
        }

        using var roi = new Mat(frame, region);
        using var roiF = new Mat();
        roi.ConvertTo(roiF, MatType.CV_32FC3, 1.0 / full);
        using Mat map = FaceComposer.Shift(frameToFace, region);
        Cv2.WarpAffine(roiF, crop, map, new Size(res, res), InterpolationFlags.Cubic, BorderTypes.Replicate);
        // as an 8-bit warp saturates: models see [0, 1] (out-of-range float values stay in the frame)
        Cv2.Min(crop, Scalar.All(1), crop);
        Cv2.Max(crop, Scalar.All(0), crop);
        return crop;
    }

    private static Rect Grow(Rect r, int by, int width, int height)
    {
        int x0 = Math.Max(0, r.X - by), y0 = Math.Max(0, r.Y - by);
        int x1 = Math.Min(width, r.X + r.Width + by), y1 = Math.Min(height, r.Y + r.Height + by);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }
}
