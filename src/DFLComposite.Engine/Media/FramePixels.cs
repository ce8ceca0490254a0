using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Media;

/// <summary>
/// <see cref="ImageFrame"/>s of any <see cref="PixelFormat"/> as OpenCV Mats, and the conversions a merge needs:
/// an 8-bit BGR copy for the detectors and models, and BGR at the frame's own depth for blending.
/// </summary>
public static class FramePixels
{
    public static MatType MatTypeOf(PixelFormat format) => format switch
    {
        PixelFormat.Bgr8 => MatType.CV_8UC3,
        PixelFormat.Rgba8 => MatType.CV_8UC4,
        PixelFormat.Rgba16 => MatType.CV_16UC4,
        PixelFormat.RgbaF32 => MatType.CV_32FC4,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The value of full intensity at a depth: 255, 65535, or 1 for float.</summary>
    public static double FullScale(MatType depth) => depth.Depth switch
    {
        MatType.CV_8U => 255,
        MatType.CV_16U => 65535,
        _ => 1,
    };

    /// <summary>A Mat header over the frame's bytes (no copy; writes go to the frame).</summary>
    public static Mat AsMat(this ImageFrame frame) =>
        Mat.FromPixelData(frame.Height, frame.Width, MatTypeOf(frame.Format), frame.Pixels, frame.Stride);

    /// <summary>The frame as tightly packed 8-bit BGR (the frame itself when it already is).</summary>
    public static ImageFrame ToBgr8(this ImageFrame frame)
    {
        if (frame.Format == PixelFormat.Bgr8 && frame.IsPacked)
        {
            return frame;
        }

        using Mat src = frame.AsMat();
        using Mat bgr = ToBgr(src);
        using var eight = new Mat();
        bgr.ConvertTo(eight, MatType.CV_8UC3, 255.0 / FullScale(bgr.Type()));
        return eight.ToFrame();
    }

    /// <summary>A new BGR Mat at the frame's own depth (8-bit, 16-bit or float), for blending.</summary>
    public static Mat ToBgrMat(this ImageFrame frame)
    {
        using Mat src = frame.AsMat();
        return frame.Format == PixelFormat.Bgr8 ? src.Clone() : ToBgr(src);
    }

    /// <summary>
    /// A copy of <paramref name="original"/> with its colour channels taken from <paramref name="bgr"/> (same size and
    /// depth) and its alpha kept, or replaced by <paramref name="alpha"/> (CV_32F 0..1) when given.
    /// </summary>
    public static ImageFrame WithColour(this ImageFrame original, Mat bgr, Mat? alpha = null)
    {
        if (original.Format == PixelFormat.Bgr8)
        {
            return bgr.ToFrame();
        }

        var pixels = new byte[original.Pixels.Length];
        Buffer.BlockCopy(original.Pixels, 0, pixels, 0, pixels.Length);
        var result = new ImageFrame(original.Width, original.Height, original.Format, pixels, original.Stride);
        using Mat target = result.AsMat();
        // B, G, R of the work image go to channels 2, 1, 0; channel 3 (alpha) is untouched
        Cv2.MixChannels([bgr], [target], [0, 2, 1, 1, 2, 0]);
        if (alpha is not null)
        {
            using var scaled = new Mat();
            alpha.ConvertTo(scaled, MatTypeOf(original.Format).Depth, FullScale(target.Type()));
            Cv2.MixChannels([scaled], [target], [0, 3]);
        }

        return result;
    }

    /// <summary>
    /// The frame in another format (a new frame): channels reordered and values scaled to the target depth (8-bit 255 =
    /// 16-bit 65535 = float 1); alpha is opaque when the source has none.
    /// </summary>
    public static ImageFrame Convert(this ImageFrame frame, PixelFormat format)
    {
        if (format == frame.Format)
        {
            return frame;
        }

        using Mat src = frame.AsMat();
        MatType target = MatTypeOf(format);
        using var colour = new Mat();
        if (src.Channels() == 3 && target.Channels == 4)
        {
            Cv2.CvtColor(src, colour, ColorConversionCodes.BGR2RGBA);
        }
        else if (src.Channels() == 4 && target.Channels == 3)
        {
            Cv2.CvtColor(src, colour, ColorConversionCodes.RGBA2BGR);
        }
        else
        {
            src.CopyTo(colour);
        }

        using var scaled = new Mat();
        colour.ConvertTo(scaled, target, FullScale(target) / FullScale(src.Type()));
        if (src.Channels() == 3 && target.Channels == 4)
        {
            // BGR2RGBA gives alpha = 255 at the source depth; after scaling that is full scale only for 8-bit targets
            using Mat alpha = new Mat(scaled.Size(), target.Depth, Scalar.All(FullScale(target)));
            Cv2.MixChannels([alpha], [scaled], [0, 3]);
        }

        int bytes = scaled.Width * scaled.Height * (int)scaled.ElemSize();
        var pixels = new byte[bytes];
        System.Runtime.InteropServices.Marshal.Copy(scaled.Data, pixels, 0, bytes);
        return new ImageFrame(frame.Width, frame.Height, format, pixels);
    }

    /// <summary>
    /// A host's interleaved pixels (RGB or RGBA, tightly packed, top row first) as an RGBA frame of
    /// <paramref name="rgbaFormat"/>'s depth; RGB gains an opaque alpha.
    /// </summary>
    public static ImageFrame FromInterleaved(byte[] bytes, int width, int height, PixelFormat rgbaFormat, int channels)
    {
        if (channels == 4)
        {
            return new ImageFrame(width, height, rgbaFormat, bytes);
        }

        MatType four = MatTypeOf(rgbaFormat);
        using Mat three = Mat.FromPixelData(height, width, MatType.MakeType(four.Depth, 3), bytes);
        using var rgba = new Mat();
        Cv2.CvtColor(three, rgba, ColorConversionCodes.RGB2RGBA); // alpha = full scale of the depth
        var packed = new byte[width * height * ImageFrame.BytesPerPixelOf(rgbaFormat)];
        System.Runtime.InteropServices.Marshal.Copy(rgba.Data, packed, 0, packed.Length);
        return new ImageFrame(width, height, rgbaFormat, packed);
    }

    /// <summary>An RGBA frame's pixels interleaved as RGBA (as they are) or RGB (alpha dropped), tightly packed.</summary>
    public static byte[] ToInterleaved(ImageFrame rgba, int channels)
    {
        if (channels == 4 && rgba.IsPacked)
        {
            return rgba.Pixels;
        }

        using Mat src = rgba.AsMat();
        using var dst = new Mat();
        if (channels == 4)
        {
            src.CopyTo(dst);
        }
        else
        {
            Cv2.CvtColor(src, dst, ColorConversionCodes.RGBA2RGB);
        }

        var bytes = new byte[dst.Total() * dst.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(dst.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static Mat ToBgr(Mat src)
    {
        var bgr = new Mat();
        Cv2.CvtColor(src, bgr, src.Channels() == 4 ? ColorConversionCodes.RGBA2BGR : ColorConversionCodes.RGB2BGR);
        return bgr;
    }
}
