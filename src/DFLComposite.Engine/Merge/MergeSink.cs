using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Media;
using OpenCvSharp;
using VideoWriter = DFLComposite.Engine.Media.VideoWriter;

namespace DFLComposite.Engine.Merge;

/// <summary>Where a merge writes: the main output and the optional matte, debug and alpha outputs.</summary>
/// <param name="Output">A video file (.mp4/.mov/.mkv), an image file, or a folder for a PNG sequence.</param>
/// <param name="MaskOutput">A folder for the merge mask (matte) as 8-bit PNGs, one per frame (for a still, a .png file or a folder).</param>
/// <param name="DebugOutput">A folder for dst | prediction | mask | result panels, one PNG per frame with a face (for a still, as the mask).</param>
/// <param name="Alpha">Write the merge mask as the output's alpha channel (PNG output, or prores4444).</param>
/// <param name="MatteOnly">The main output is the mask itself (<c>dflc mask</c>): grey PNGs in a folder, or a grey video.</param>
public sealed record MergeOutputs(string Output, string? MaskOutput = null, string? DebugOutput = null, bool Alpha = false, bool MatteOnly = false)
{
    public bool ToFolder => string.IsNullOrEmpty(Path.GetExtension(Output)) || Directory.Exists(Output);
}

/// <summary>
/// Writes merged frames in order: to an ffmpeg encoder or a PNG sequence (with alpha = merge mask when asked), plus
/// the matte and debug sequences. Every file is written atomically, so a re-run over a half-written folder is safe.
/// </summary>
internal sealed class MergeSink : IAsyncDisposable
{
    private readonly MergeOutputs _outputs;
    private readonly VideoWriter? _writer;

    public MergeSink(MergeOutputs outputs, int width, int height, double fps, string? audioFrom, MergeSettings settings)
    {
        _outputs = outputs;
        if (outputs.ToFolder)
        {
            Directory.CreateDirectory(outputs.Output);
        }
        else
        {
            _writer = new VideoWriter(outputs.Output, width, height, fps, audioFrom, settings.Codec, settings.Crf, outputs.Alpha);
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

    /// <param name="mask">The frame's merge mask (CV_32F), when the outputs need one.</param>
    public void Write(long index, ImageFrame frame, Mat? mask, Mat? debug)
    {
        using Mat? mask8 = mask is null ? null : new Mat();
        mask?.ConvertTo(mask8!, MatType.CV_8UC1, 255);
        if (_outputs.MatteOnly && !_outputs.Alpha)
        {
            WriteMatte(index, frame, mask8!);
        }
        else if (_writer is not null)
        {
            byte[]? alpha = null;
            if (_outputs.Alpha)
            {
                mask8!.GetArray(out alpha);
            }

            _writer.Write(frame, alpha);
        }
        else
        {
            using Mat mat = frame.AsMat();
            WritePng(Path.Combine(_outputs.Output, $"{index:D6}.png"), mat, _outputs.Alpha ? mask8 : null);
        }

        if (_outputs.MaskOutput is not null && mask8 is not null)
        {
            WritePng(Path.Combine(_outputs.MaskOutput, $"{index:D6}.png"), mask8, null);
        }

        if (_outputs.DebugOutput is not null && debug is not null)
        {
            WritePng(Path.Combine(_outputs.DebugOutput, $"{index:D6}.png"), debug, null);
        }
    }

    // The matte as the main output: a grey PNG, or a grey frame for a video.
    private void WriteMatte(long index, ImageFrame frame, Mat mask8)
    {
        if (_writer is null)
        {
            WritePng(Path.Combine(_outputs.Output, $"{index:D6}.png"), mask8, null);
            return;
        }

        using var grey = new Mat();
        Cv2.CvtColor(mask8, grey, ColorConversionCodes.GRAY2BGR);
        grey.GetArray(out Vec3b[] px);
        _writer.Write(new ImageFrame(frame.Width, frame.Height, System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).ToArray()));
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _writer?.DisposeAsync() ?? ValueTask.CompletedTask;

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
}
