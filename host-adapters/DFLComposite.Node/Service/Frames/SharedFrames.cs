using System.Text.RegularExpressions;
using DFLComposite.Engine.Media;
using DFLComposite.Media;

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

    /// <summary>An 8-bit frame's first byte in the mapping, its whole extent checked.</summary>
    public static unsafe byte* Pointer(FrameMapping view, long offset, int width, int height, bool rgb)
    {
        _ = view.Bytes(offset, checked(width * height * (rgb ? 3 : 4)));
        return view.Address + offset;
    }

    [GeneratedRegex(@"^dflc-ofx-\d+-\d+$")]
    private static partial Regex ShmName();
}
