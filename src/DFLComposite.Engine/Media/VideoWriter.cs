using System.Collections.Concurrent;
using DFLComposite.Media;
using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace DFLComposite.Engine.Media;

/// <summary>
/// Encodes frames with ffmpeg through a pipe (raw bgr24 in), copying the audio of an optional source file,
/// at the source's frame rate. Frames are queued (bounded) so encoding overlaps with the caller's work.
/// The codec is tried on the output's size before the first frame (<see cref="EncodeCheck.Preflight"/>); frames go to
/// a temporary file that is read back (<see cref="EncodeCheck.Verify"/>) and only then renamed over the output, so a
/// failed, interrupted or disk-full encode never leaves a half-written output and never replaces a good one. With
/// <c>alpha</c> (prores4444 only) frames go in as bgra and the alpha plane (the merge mask) is kept in the file.
/// h264/h265 need even sizes for 4:2:0; an odd-sized picture is encoded 4:4:4 instead, at its own size.
/// </summary>
public sealed class VideoWriter : IAsyncDisposable
{
    private readonly BlockingCollection<(ImageFrame Frame, byte[]? Alpha)> _queue = new(boundedCapacity: 8);
    private readonly Task _encode;
    private readonly string _output, _temp;
    private readonly bool _alpha, _audio;
    private readonly FrameBufferPool? _written;
    private long _frames;
    private bool _completed;

    /// <param name="audioStart">Seconds into <paramref name="audioFrom"/> where this video begins (a frame range), or null for the start.</param>
    /// <param name="written">Where a frame's bytes go once ffmpeg has them (the decoder's pool), or null.</param>
    public VideoWriter(string output, int width, int height, double fps, string? audioFrom, string codec, int crf, bool alpha = false, double? audioStart = null, FrameBufferPool? written = null)
    {
        _written = written;
        if (alpha && codec != "prores4444")
        {
            throw Settings.JobValidationException.For("alpha", $"needs codec prores4444 (or an image-sequence output); {codec} has no alpha channel");
        }

        CheckContainer(output, codec);
        string codecArguments = alpha ? "-c:v prores_ks -profile:v 4444 -pix_fmt yuva444p10le -alpha_bits 16" : CodecArguments(codec, crf, width, height);
        EncodeCheck.Preflight(output, width, height, codecArguments, alpha ? "bgra" : "bgr24");
        _output = output;
        _alpha = alpha;
        _audio = audioFrom is not null && VideoProbe.Probe(audioFrom).HasAudio;
        _temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileNameWithoutExtension(output)}.dflc-tmp{Path.GetExtension(output)}");
        IO.TempFiles.Track(_temp);
        var source = new RawVideoPipeSource(Frames(width, height)) { FrameRate = fps };
        var args = FFMpegArguments.FromPipeInput(source);
        if (audioFrom is not null)
        {
            args = audioStart is > 0
                ? args.AddFileInput(audioFrom, true, i => i.WithCustomArgument(FormattableString.Invariant($"-ss {audioStart.Value:0.######}")))
                : args.AddFileInput(audioFrom);
        }

        // On a worker: FFMpegCore reads the first frame (to learn its format) before it starts ffmpeg.
        _encode = Task.Run(() => args.OutputToFile(_temp, overwrite: true, o =>
        {
            o.WithCustomArgument(codecArguments);
            o.WithCustomArgument(audioFrom is null ? "-map 0:v:0" : audioStart is null ? "-map 0:v:0 -map 1:a? -c:a copy" : "-map 0:v:0 -map 1:a? -c:a aac -shortest");
        }).ProcessAsynchronously(throwOnError: true));
    }

    /// <summary>Refuses, before any frame is encoded, a codec the output's container cannot hold (ffmpeg would fail only at the end).</summary>
    public static void CheckContainer(string output, string codec)
    {
        string ext = Path.GetExtension(output).ToLowerInvariant();
        string[] fits = codec switch
        {
            "prores4444" => [".mov", ".mkv"],
            "ffv1" => [".mkv", ".avi", ".mov"],
            _ => [".mp4", ".mov", ".mkv", ".m4v"],
        };
        if (!fits.Contains(ext))
        {
            throw Settings.JobValidationException.For("output", $"a {ext} file cannot hold {codec}; use {string.Join(" or ", fits)} for {codec}, or another codec");
        }
    }

    /// <summary>ffmpeg's encoder arguments; 4:2:0 needs even sizes, so an odd-sized picture is encoded 4:4:4.</summary>
    public static string CodecArguments(string codec, int crf, int width = 2, int height = 2)
    {
        string chroma = width % 2 == 0 && height % 2 == 0 ? "yuv420p" : "yuv444p";
        return codec switch
        {
            "h265" => $"-c:v libx265 -crf {crf} -preset fast -pix_fmt {chroma} -tag:v hvc1",
            "prores4444" => "-c:v prores_ks -profile:v 4444 -pix_fmt yuv444p10le",
            "ffv1" => "-c:v ffv1 -level 3 -pix_fmt bgr0",
            _ => $"-c:v libx264 -crf {crf} -preset veryfast -pix_fmt {chroma}",
        };
    }

    /// <summary>Queues a frame (blocks while the encoder is 8 frames behind).</summary>
    /// <param name="alpha">Width*Height alpha bytes when the writer was made with alpha (255 = opaque).</param>
    public void Write(ImageFrame frame, byte[]? alpha = null)
    {
        if (_alpha != (alpha is not null))
        {
            throw new InvalidOperationException(_alpha ? "This writer needs an alpha plane with every frame." : "This writer has no alpha channel.");
        }

        if (_encode.IsFaulted)
        {
            ThrowEncoderStopped();
        }

        // Never a plain blocking Add: if ffmpeg dies (a full disk) while the queue is full, nobody takes frames any
        // more and the merge would wait forever. Poll, and surface ffmpeg's error once its task has ended.
        while (!_queue.TryAdd((frame, alpha), millisecondsTimeout: 100))
        {
            if (_encode.IsCompleted)
            {
                ThrowEncoderStopped();
            }
        }

        _frames++;
    }

    private void ThrowEncoderStopped()
    {
        try
        {
            _encode.GetAwaiter().GetResult(); // surface ffmpeg's error now
        }
        catch (FFMpegException ex)
        {
            string reason = ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ? "the disk is full" : ex.Message.Split('\n')[0];
            throw new OutputWriteException($"could not write {_output}: ffmpeg stopped ({reason}). Nothing was replaced; free some space or choose another output.", ex);
        }
        catch (IOException ex)
        {
            throw new OutputWriteException($"could not write {_output}: ffmpeg stopped taking frames ({ex.Message}). Nothing was replaced; free some space or choose another output.", ex);
        }

        throw new OutputWriteException($"could not write {_output}: ffmpeg ended before all frames were written. Nothing was replaced; check the disk and the output path.", null);
    }

    public async Task CompleteAsync()
    {
        _queue.CompleteAdding();
        try
        {
            await _encode.ConfigureAwait(false);
            EncodeCheck.Verify(_temp, _output, _frames, _audio);
            File.Move(_temp, _output, overwrite: true);
        }
        catch (FFMpegException ex)
        {
            File.Delete(_temp);
            string reason = ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ? "the disk is full" : ex.Message.Split('\n')[0];
            throw new OutputWriteException($"could not write {_output}: ffmpeg failed ({reason}). Nothing was replaced; free some space or choose another output.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(_temp);
            throw IO.AtomicFile.WriteFailed(_output, ex);
        }
        catch
        {
            File.Delete(_temp);
            throw;
        }
        finally
        {
            IO.TempFiles.Untrack(_temp);
        }

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
            IO.TempFiles.Untrack(_temp);
        }

        _queue.Dispose();
    }

    private IEnumerable<IVideoFrame> Frames(int width, int height)
    {
        foreach ((ImageFrame f, byte[]? alpha) in _queue.GetConsumingEnumerable())
        {
            if (f.Width != width || f.Height != height)
            {
                throw new InvalidOperationException($"Frame {f.Width}x{f.Height} does not match the video's {width}x{height}.");
            }

            yield return alpha is null ? new BgrFrame(f) : new BgraFrame(f, alpha);
            _written?.Return(f); // FFMpegCore asks for the next frame only once this one is in the pipe
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

    private sealed class BgraFrame(ImageFrame frame, byte[] alpha) : IVideoFrame
    {
        public int Width => frame.Width;

        public int Height => frame.Height;

        public string Format => "bgra";

        public string PixelFormat => "bgra";

        public void Serialize(Stream pipe) => pipe.Write(Interleave());

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(Interleave(), token).AsTask();

        private byte[] Interleave()
        {
            byte[] bgr = frame.Pixels, bgra = new byte[alpha.Length * 4];
            for (int p = 0; p < alpha.Length; p++)
            {
                bgra[p * 4] = bgr[p * 3];
                bgra[(p * 4) + 1] = bgr[(p * 3) + 1];
                bgra[(p * 4) + 2] = bgr[(p * 3) + 2];
                bgra[(p * 4) + 3] = alpha[p];
            }

            return bgra;
        }
    }
}
