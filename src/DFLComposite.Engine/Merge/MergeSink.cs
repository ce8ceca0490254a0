using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Media;
using OpenCvSharp;
using VideoWriter = DFLComposite.Engine.Media.VideoWriter;

namespace DFLComposite.Engine.Merge;

/// <summary>Where a merge writes: the main output and the optional matte, debug and alpha outputs.</summary>
/// <param name="Output">A video file (.mp4/.mov/.mkv), an image file, or a folder for an image sequence.</param>
/// <param name="MaskOutput">A folder for the merge mask (matte), one image per frame (for a still, a .png file or a folder).</param>
/// <param name="DebugOutput">A folder for dst | prediction | mask | result panels, one PNG per frame with a face (for a still, as the mask).</param>
/// <param name="Alpha">Write the merge mask as the output's alpha channel (image outputs, or prores4444).</param>
/// <param name="MatteOnly">The main output is the mask itself (<c>dflc mask</c>): grey images in a folder, or a grey video.</param>
/// <param name="Format">Image format of sequences and stills: png (8-bit), png16, or exr (float, the matte always as alpha).</param>
/// <param name="Preview">A PNG the merge refreshes every two seconds with its latest frame (for a host's progress view), or null.</param>
public sealed record MergeOutputs(string Output, string? MaskOutput = null, string? DebugOutput = null, bool Alpha = false, bool MatteOnly = false, string Format = "png", string? Preview = null)
{
    public bool ToFolder => IsFolder(Output);

    /// <summary>A path meant as a folder of images: no extension, or an existing folder.</summary>
    public static bool IsFolder(string path) => string.IsNullOrEmpty(Path.GetExtension(path)) || Directory.Exists(path);

    /// <summary>Some output needs the merge mask.</summary>
    public bool NeedsMatte => MaskOutput is not null || Alpha || MatteOnly || (Format == "exr" && !IsVideo);

    /// <summary>The output is a video file.</summary>
    public bool IsVideo => !ToFolder && !ImageIO.IsImage(Output) && !Output.EndsWith(".exr", StringComparison.OrdinalIgnoreCase);

    /// <summary>The pixel format frames are merged in: float for EXR, 16-bit for png16, else 8-bit (a video is 8-bit).</summary>
    public PixelFormat WorkFormat => IsVideo ? PixelFormat.Bgr8 : Format switch
    {
        "exr" => PixelFormat.RgbaF32,
        "png16" => PixelFormat.Rgba16,
        _ => PixelFormat.Bgr8,
    };
}

/// <summary>
/// Writes merged frames in order: to an ffmpeg encoder or an image sequence (with alpha = merge mask when asked, and
/// always for EXR), plus the matte and debug sequences. Every file is written atomically, so a re-run over a
/// half-written folder is safe.
/// </summary>
internal sealed class MergeSink : IAsyncDisposable
{
    private readonly MergeOutputs _outputs;
    private readonly VideoWriter? _writer;

    /// <param name="written">Where a video output hands frames once encoded (the decoder's pool), or null.</param>
    public MergeSink(MergeOutputs outputs, int width, int height, double fps, string? audioFrom, MergeSettings settings, double? audioStart = null, FrameBufferPool? written = null)
    {
        _outputs = outputs;
        if (outputs.ToFolder)
        {
            Directory.CreateDirectory(outputs.Output);
        }
        else
        {
            _writer = new VideoWriter(outputs.Output, width, height, fps, audioFrom, settings.Codec, settings.Crf, outputs.Alpha, audioStart, written);
        }

        foreach (string? folder in new[] { outputs.MaskOutput, outputs.DebugOutput })
        {
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
        }
    }

    public bool IsVideo => _writer is not null;

    public static string Extension(string format) => format == "exr" ? ".exr" : ".png";

    /// <param name="matte">The frame's merge mask (CV_32F), when the outputs need one.</param>
    public void Write(long index, ImageFrame frame, Mat? matte, Mat? debug)
    {
        string name = $"{index:D6}";
        if (_outputs.MatteOnly && !_outputs.Alpha)
        {
            WriteMatte(name, frame, matte!);
        }
        else if (_writer is not null)
        {
            byte[]? alpha = null;
            if (_outputs.Alpha)
            {
                using var mask8 = new Mat();
                matte!.ConvertTo(mask8, MatType.CV_8UC1, 255);
                mask8.GetArray(out alpha);
            }

            using var _ = Diagnostics.StageTimes.Measure("encode (queue)");
            _writer.Write(frame.ToBgr8(), alpha);
        }
        else
        {
            byte[] image;
            using (Diagnostics.StageTimes.Measure("encode image"))
            {
                image = EncodeImage(frame, _outputs.Alpha || _outputs.Format == "exr" ? matte : null, _outputs.Format);
            }

            AtomicFile.WriteAllBytes(Path.Combine(_outputs.Output, name + Extension(_outputs.Format)), image);
        }

        if (_outputs.MaskOutput is not null && matte is not null)
        {
            AtomicFile.WriteAllBytes(Path.Combine(_outputs.MaskOutput, name + Extension(_outputs.Format)), EncodeMatte(matte, _outputs.Format));
        }

        if (_outputs.DebugOutput is not null && debug is not null)
        {
            WritePng(Path.Combine(_outputs.DebugOutput, name + ".png"), debug, null);
        }
    }

    // The matte as the main output: a grey image, or a grey frame for a video.
    private void WriteMatte(string name, ImageFrame frame, Mat matte)
    {
        if (_writer is null)
        {
            AtomicFile.WriteAllBytes(Path.Combine(_outputs.Output, name + Extension(_outputs.Format)), EncodeMatte(matte, _outputs.Format));
            return;
        }

        using var mask8 = new Mat();
        matte.ConvertTo(mask8, MatType.CV_8UC1, 255);
        using var grey = new Mat();
        Cv2.CvtColor(mask8, grey, ColorConversionCodes.GRAY2BGR);
        _writer.Write(grey.ToFrame());
        _ = frame;
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _writer?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>A still's outputs: the merged image (format from its extension), and its matte and debug panels.</summary>
    public static void WriteStill(string target, MergeOutputs outputs, MergedFrame result)
    {
        string ext = Path.GetExtension(target).ToLowerInvariant();
        string format = ext == ".exr" ? "exr" : outputs.Format == "png16" && ext == ".png" ? "png16" : "png";
        if (outputs.MatteOnly)
        {
            AtomicFile.WriteAllBytes(target, EncodeMatte(result.Matte!, format));
        }
        else if (ext is ".jpg" or ".jpeg")
        {
            using Mat mat = result.Frame.ToBgr8().AsMat();
            Cv2.ImEncode(".jpg", mat, out byte[] bytes);
            AtomicFile.WriteAllBytes(target, bytes);
        }
        else
        {
            AtomicFile.WriteAllBytes(target, EncodeImage(result.Frame, outputs.Alpha || format == "exr" ? result.Matte : null, format));
        }

        if (outputs.MaskOutput is not null && result.Matte is not null)
        {
            AtomicFile.WriteAllBytes(StillTarget(outputs.MaskOutput, Extension(format)), EncodeMatte(result.Matte, format));
        }

        if (outputs.DebugOutput is not null && result.Debug is not null)
        {
            WritePng(StillTarget(outputs.DebugOutput, ".png"), result.Debug, null);
        }
    }

    /// <summary>An image file's bytes: BGR (+ alpha = <paramref name="matte"/>) at the format's depth.</summary>
    public static byte[] EncodeImage(ImageFrame frame, Mat? matte, string format)
    {
        using Mat bgr = frame.ToBgrMat();
        MatType depth = format switch { "exr" => MatType.CV_32F, "png16" => MatType.CV_16U, _ => MatType.CV_8U };
        using var scaled = new Mat();
        bgr.ConvertTo(scaled, depth.Depth == MatType.CV_32F ? MatType.CV_32FC3 : depth.Depth == MatType.CV_16U ? MatType.CV_16UC3 : MatType.CV_8UC3,
            FramePixels.FullScale(depth) / FramePixels.FullScale(bgr.Type()));
        using var withAlpha = new Mat();
        Mat image = scaled;
        if (matte is not null)
        {
            using var alpha = new Mat();
            matte.ConvertTo(alpha, depth.Depth, FramePixels.FullScale(depth));
            Mat[] channels = Cv2.Split(scaled);
            Cv2.Merge([.. channels, alpha], withAlpha);
            foreach (Mat c in channels)
            {
                c.Dispose();
            }

            image = withAlpha;
        }

        return Encode(image, format);
    }

    /// <summary>A matte image's bytes: grey at the format's depth.</summary>
    public static byte[] EncodeMatte(Mat matte, string format)
    {
        MatType depth = format switch { "exr" => MatType.CV_32F, "png16" => MatType.CV_16U, _ => MatType.CV_8U };
        using var grey = new Mat();
        matte.ConvertTo(grey, depth.Depth, FramePixels.FullScale(depth));
        return Encode(grey, format);
    }

    private static byte[] Encode(Mat image, string format)
    {
        if (format == "exr")
        {
            return ExrFile.Encode(image);
        }

        Cv2.ImEncode(".png", image, out byte[] png, new ImageEncodingParam(ImwriteFlags.PngCompression, 1));
        return png;
    }

    /// <summary>A small PNG of a merged frame (at most 640 px wide) for a host's progress view.</summary>
    public static void WritePreview(string path, ImageFrame frame)
    {
        using Mat bgr = frame.ToBgr8().AsMat();
        using var small = new Mat();
        double k = Math.Min(1.0, 640.0 / bgr.Width);
        Cv2.Resize(bgr, small, new Size((int)Math.Round(bgr.Width * k), (int)Math.Round(bgr.Height * k)), interpolation: InterpolationFlags.Area);
        WritePng(path, small, null);
    }

    /// <summary>PNG, fast compression; with <paramref name="alpha"/> a BGRA PNG whose alpha is the mask.</summary>
    public static void WritePng(string path, Mat image, Mat? alpha)
    {
        using var bgra = new Mat();
        Mat toWrite = image;
        if (alpha is not null)
        {
            Mat[] channels = Cv2.Split(image);
            Cv2.Merge([.. channels, alpha], bgra);
            foreach (Mat c in channels)
            {
                c.Dispose();
            }

            toWrite = bgra;
        }

        Cv2.ImEncode(".png", toWrite, out byte[] png, new ImageEncodingParam(ImwriteFlags.PngCompression, 1));
        AtomicFile.WriteAllBytes(path, png);
    }

    // A side output of a still: a file path as given, else a folder holding 000000<ext> as for a sequence's first frame.
    private static string StillTarget(string path, string ext)
    {
        if (Path.HasExtension(path) && !Directory.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(path);
        return Path.Combine(path, "000000" + ext);
    }
}
