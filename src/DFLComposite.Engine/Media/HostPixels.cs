using DFLComposite.Engine.Merge;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Media;

/// <summary>
/// 8-bit frames in a host's memory (RGB or RGBA, packed, top row first: the OpenFX plug-in's shared frames) to and
/// from the packed BGR8 the merge works in, one conversion each way and no copy of the host's layout: through
/// RGBA <see cref="ImageFrame"/>s a 720p frame took 35 ms of copies and conversions in the node, here ~1 ms.
/// </summary>
public static unsafe class HostPixels
{
    /// <summary>Converts the host's frame at <paramref name="pixels"/> into <paramref name="bgr"/> (packed BGR8, same size).</summary>
    public static void ToBgr8(byte* pixels, bool rgb, ImageFrame bgr)
    {
        using Mat src = Mat.FromPixelData(bgr.Height, bgr.Width, rgb ? MatType.CV_8UC3 : MatType.CV_8UC4, (IntPtr)pixels);
        using Mat dst = bgr.AsMat();
        Cv2.CvtColor(src, dst, rgb ? ColorConversionCodes.RGB2BGR : ColorConversionCodes.RGBA2BGR);
    }

    /// <summary>
    /// Writes a merge of an 8-bit BGR frame in the host's layout: RGB, or RGBA whose alpha is the input's or the matte
    /// (scaled and rounded as <see cref="FramePixels.WithColour"/> does, so the deeper path gives the same bytes).
    /// </summary>
    /// <param name="input">The host's input frame (its alpha is kept unless <paramref name="matteAsAlpha"/>).</param>
    /// <param name="showMatte">The picture is the matte as grey, not the merge (Face Matte's "show matte").</param>
    public static void FromMerged(MergedFrame merged, byte* output, byte* input, bool rgb, bool matteAsAlpha, bool showMatte)
    {
        ImageFrame frame = merged.Frame;
        Mat? matte = merged.Matte;
        if ((matteAsAlpha || showMatte) && matte is null)
        {
            throw new InvalidOperationException("This output needs the merge's matte: process the frame with matte: true.");
        }

        using Mat picture = showMatte ? Grey(matte!) : frame.AsMat();
        using Mat dst = Mat.FromPixelData(frame.Height, frame.Width, rgb ? MatType.CV_8UC3 : MatType.CV_8UC4, (IntPtr)output);
        Cv2.CvtColor(picture, dst, rgb ? ColorConversionCodes.BGR2RGB : ColorConversionCodes.BGR2RGBA);
        if (rgb)
        {
            return;
        }

        if (!matteAsAlpha)
        {
            using Mat src = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC4, (IntPtr)input);
            Cv2.MixChannels([src], [dst], [3, 3]);
            return;
        }

        using var scaled = new Mat();
        matte!.ConvertTo(scaled, MatType.CV_8U, 255);
        Cv2.MixChannels([scaled], [dst], [0, 3]);
    }

    private static Mat Grey(Mat matte)
    {
        using var eight = new Mat();
        matte.ConvertTo(eight, MatType.CV_8U, 255);
        var grey = new Mat();
        Cv2.CvtColor(eight, grey, ColorConversionCodes.GRAY2BGR);
        return grey;
    }
}
