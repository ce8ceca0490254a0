using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// <c>--debug</c>: one row per face, dst crop | prediction (after colour transfer and effects) | mask | result crop,
/// each panel at least 256 px, so a user sees at a glance which step went wrong.
/// </summary>
internal static class DebugPanels
{
    private const int MinPanel = 256;

    /// <param name="dstCrop">The dst face crop, BGR float [0, 1].</param>
    /// <param name="prediction">The face as blended, BGR float [0, 1].</param>
    /// <param name="mask">The face-space mask at working resolution, float [0, 1].</param>
    /// <param name="frame">The frame after blending (BGR at any depth).</param>
    /// <param name="frameToFace">The crop transform (2x3, CV_64F).</param>
    public static Mat Build(Mat dstCrop, Mat prediction, Mat mask, Mat frame, Mat frameToFace, int res)
    {
        int side = Math.Max(MinPanel, res);
        var size = new Size(side, side);
        using var result = new Mat();
        Cv2.WarpAffine(frame, result, frameToFace, new Size(res, res), InterpolationFlags.Cubic, BorderTypes.Replicate);
        using Mat a = Panel(dstCrop, size, 255), b = Panel(prediction, size, 255), d = Panel(result, size, 255 / Media.FramePixels.FullScale(frame.Type()));
        using var mask3 = new Mat();
        Cv2.CvtColor(mask, mask3, ColorConversionCodes.GRAY2BGR);
        using Mat c = Panel(mask3, size, 255);
        var row = new Mat();
        Cv2.HConcat([a, b, c, d], row);
        return row;
    }

    private static Mat Panel(Mat image, Size size, double scale)
    {
        using var eight = new Mat();
        image.ConvertTo(eight, MatType.CV_8UC3, scale);
        var panel = new Mat();
        Cv2.Resize(eight, panel, size, interpolation: InterpolationFlags.Cubic);
        return panel;
    }
}
