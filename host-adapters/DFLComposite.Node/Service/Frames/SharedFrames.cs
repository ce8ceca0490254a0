using System.Text.RegularExpressions;
using DFLComposite.Engine.Media;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Node.Service.Frames;

/// <summary>
/// A host's frame in a shared-memory file: top-down rows, tightly packed, RGBA or RGB at byte, short or float depth
/// (the plug-in normalises whatever the host gave it). Read into an RGBA <see cref="ImageFrame"/> of the same depth
/// and written back in the host's own layout.
/// </summary>
internal static partial class SharedFrames
{
    /// <summary>Only the plug-in's own files: <c>/dev/shm/dflc-ofx-PID-N</c> or the same name in the temp folder.</summary>
    public static bool Allowed(string path) =>
        ShmName().IsMatch(Path.GetFileName(path)) &&
        (Path.GetDirectoryName(path) == "/dev/shm" || string.Equals(Path.GetDirectoryName(path), Path.GetTempPath().TrimEnd('/'), StringComparison.Ordinal));

    public static PixelFormat FormatOf(string depth) => depth switch
    {
        "byte" => PixelFormat.Rgba8,
        "short" => PixelFormat.Rgba16,
        "float" => PixelFormat.RgbaF32,
        _ => throw new InvalidDataException($"depth '{depth}' is not byte, short or float"),
    };

    public static int ComponentBytes(string depth) => depth switch { "byte" => 1, "short" => 2, _ => 4 };

    public static ImageFrame Read(FrameMapping view, long offset, int width, int height, string depth, bool rgb)
    {
        int channels = rgb ? 3 : 4, size = checked(width * height * channels * ComponentBytes(depth));
        var bytes = new byte[size];
        view.Bytes(offset, size).CopyTo(bytes);
        return FramePixels.FromInterleaved(bytes, width, height, FormatOf(depth), channels);
    }

    public static void Write(FrameMapping view, long offset, ImageFrame frame, bool rgb)
    {
        byte[] bytes = FramePixels.ToInterleaved(frame, rgb ? 3 : 4);
        bytes.CopyTo(view.Bytes(offset, bytes.Length));
    }

    /// <summary>
    /// An 8-bit frame (RGBA or RGB) straight from shared memory into packed BGR, the layout the merge works in: one
    /// conversion, no copy of the host's layout first (a 720p frame took 22 ms through the general path, ~1 ms here).
    /// </summary>
    /// <remarks>The frame's bytes are rented: give them back with <see cref="Return"/> when the request is answered.</remarks>
    public static unsafe ImageFrame ReadBgr8(FrameMapping view, long offset, int width, int height, bool rgb)
    {
        var frame = new ImageFrame(width, height, Rent(width * height * 3));
        using Mat src = Mat.FromPixelData(height, width, rgb ? MatType.CV_8UC3 : MatType.CV_8UC4, (IntPtr)Pointer(view, offset, width, height, rgb));
        using Mat dst = frame.AsMat();
        Cv2.CvtColor(src, dst, rgb ? ColorConversionCodes.RGB2BGR : ColorConversionCodes.RGBA2BGR);
        return frame;
    }

    /// <summary>
    /// Writes a merged 8-bit BGR frame to shared memory in the host's layout: RGB, or RGBA whose alpha is the input's
    /// (<paramref name="alpha"/> null) or the matte (CV_32F, 0..1, scaled and rounded as <see cref="FramePixels.WithColour"/> does).
    /// </summary>
    /// <param name="colour">The picture to write, packed BGR8 (the merge, or the matte shown as grey).</param>
    public static unsafe void WriteBgr8(FrameMapping view, long inputOffset, long outputOffset, Mat colour, bool rgb, Mat? alpha)
    {
        int width = colour.Width, height = colour.Height;
        using Mat dst = Mat.FromPixelData(height, width, rgb ? MatType.CV_8UC3 : MatType.CV_8UC4, (IntPtr)Pointer(view, outputOffset, width, height, rgb));
        Cv2.CvtColor(colour, dst, rgb ? ColorConversionCodes.BGR2RGB : ColorConversionCodes.BGR2RGBA);
        if (rgb)
        {
            return;
        }

        if (alpha is null)
        {
            using Mat src = Mat.FromPixelData(height, width, MatType.CV_8UC4, (IntPtr)Pointer(view, inputOffset, width, height, rgb));
            Cv2.MixChannels([src], [dst], [3, 3]);
            return;
        }

        using var scaled = new Mat();
        alpha.ConvertTo(scaled, MatType.CV_8U, 255);
        Cv2.MixChannels([scaled], [dst], [0, 3]);
    }

    // Frame buffers are reused: fresh large arrays come from memory the runtime has just taken from the system, and
    // the page faults of filling one cost 4-8 ms per 720p frame on the 2-core machine (0.2 ms into a reused one).
    private static readonly System.Collections.Concurrent.ConcurrentBag<byte[]> Spare = [];

    private static byte[] Rent(int length)
    {
        var skipped = new List<byte[]>();
        byte[]? found = null;
        while (found is null && Spare.TryTake(out byte[]? b))
        {
            if (b.Length == length)
            {
                found = b;
            }
            else
            {
                skipped.Add(b);
            }
        }

        // buffers of another size (another clip) stay only while there are few
        foreach (byte[] b in skipped.Take(4))
        {
            Spare.Add(b);
        }

        return found ?? GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Gives a frame read with <see cref="ReadBgr8"/> back for the next request (at most 8 are kept).</summary>
    public static void Return(ImageFrame frame)
    {
        if (Spare.Count < 8)
        {
            Spare.Add(frame.Pixels);
        }
    }

    // An 8-bit frame's first byte in the mapping, its whole extent checked.
    private static unsafe byte* Pointer(FrameMapping view, long offset, int width, int height, bool rgb)
    {
        _ = view.Bytes(offset, checked(width * height * (rgb ? 3 : 4)));
        return view.Address + offset;
    }

    [GeneratedRegex(@"^dflc-ofx-\d+-\d+$")]
    private static partial Regex ShmName();
}
