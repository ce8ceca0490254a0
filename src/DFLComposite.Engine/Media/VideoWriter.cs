using System.Collections.Concurrent;
using DFLComposite.Media;
using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace DFLComposite.Engine.Media;

/// <summary>
/// Encodes frames with ffmpeg through a pipe (raw bgr24 in), copying the audio of an optional source file,
/// at the source's frame rate. Frames are queued (bounded) so encoding overlaps with the caller's work.
/// Writes to a temporary file and renames it on <see cref="CompleteAsync"/>, so a failed or interrupted
/// encode never leaves a half-written output.
/// </summary>
public sealed class VideoWriter : IAsyncDisposable
{
    private readonly BlockingCollection<ImageFrame> _queue = new(boundedCapacity: 8);
    private readonly Task _encode;
    private readonly string _output, _temp;
    private bool _completed;

    public VideoWriter(string output, int width, int height, double fps, string? audioFrom, string codec, int crf)
    {
        _output = output;
        _temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileNameWithoutExtension(output)}.dflc-tmp{Path.GetExtension(output)}");
        var source = new RawVideoPipeSource(Frames(width, height)) { FrameRate = fps };
        var args = FFMpegArguments.FromPipeInput(source);
        if (audioFrom is not null)
        {
            args = args.AddFileInput(audioFrom);
        }

        // On a worker: FFMpegCore reads the first frame (to learn its format) before it starts ffmpeg.
        _encode = Task.Run(() => args.OutputToFile(_temp, overwrite: true, o =>
        {
            o.WithCustomArgument(CodecArguments(codec, crf));
            o.WithCustomArgument(audioFrom is null ? "-map 0:v:0" : "-map 0:v:0 -map 1:a? -c:a copy");
        }).ProcessAsynchronously(throwOnError: true));
    }

    public static string CodecArguments(string codec, int crf) => codec switch
    {
        "h265" => $"-c:v libx265 -crf {crf} -preset fast -pix_fmt yuv420p -tag:v hvc1",
        "prores4444" => "-c:v prores_ks -profile:v 4444 -pix_fmt yuv444p10le",
        "ffv1" => "-c:v ffv1 -level 3 -pix_fmt bgr0",
        _ => $"-c:v libx264 -crf {crf} -preset veryfast -pix_fmt yuv420p",
    };

    /// <summary>Queues a frame (blocks while the encoder is 8 frames behind).</summary>
    public void Write(ImageFrame frame)
    {
        if (_encode.IsFaulted)
        {
            _encode.GetAwaiter().GetResult(); // surface ffmpeg's error now
        }

        _queue.Add(frame);
    }

    public async Task CompleteAsync()
    {
        _queue.CompleteAdding();
        try
        {
            await _encode.ConfigureAwait(false);
        }
        catch (FFMpegException ex)
        {
            File.Delete(_temp);
            throw new IOException($"ffmpeg could not write {_output}: {ex.Message.Split('\n')[0]} (disk full? codec unavailable?)", ex);
        }

        File.Move(_temp, _output, overwrite: true);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _queue.CompleteAdding();
            try
            {
                await _encode.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FFMpegException or IOException or OperationCanceledException)
            {
                // abandoned: the temporary file goes below
            }

            File.Delete(_temp);
        }

        _queue.Dispose();
    }

    private IEnumerable<IVideoFrame> Frames(int width, int height)
    {
        foreach (ImageFrame f in _queue.GetConsumingEnumerable())
        {
            if (f.Width != width || f.Height != height)
            {
                throw new InvalidOperationException($"Frame {f.Width}x{f.Height} does not match the video's {width}x{height}.");
            }

            yield return new BgrFrame(f);
        }
    }

    private sealed class BgrFrame(ImageFrame frame) : IVideoFrame
    {
        public int Width => frame.Width;

        public int Height => frame.Height;

        public string Format => "bgr24";

        public string PixelFormat => "bgr24";

        public void Serialize(Stream pipe) => pipe.Write(frame.Pixels);

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(frame.Pixels, token).AsTask();
    }
}
