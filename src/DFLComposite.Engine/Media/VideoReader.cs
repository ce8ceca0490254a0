using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DFLComposite.Media;
using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace DFLComposite.Engine.Media;

/// <summary>
/// Streams a video's frames as packed BGR through an ffmpeg pipe: no image files on disk, and memory
/// bounded by a small channel however long the clip is (decode runs ahead by at most
/// <see cref="Lookahead"/> frames).
/// </summary>
public static class VideoReader
{
    public const int Lookahead = 8;

    /// <param name="path">Any video ffmpeg reads.</param>
    /// <param name="fps">Resample to this rate (ffmpeg's fps filter) or null for every frame.</param>
    public static IAsyncEnumerable<(long Index, ImageFrame Frame)> ReadFrames(string path, double? fps = null, CancellationToken cancellationToken = default) =>
        ReadFrames(path, fps, 0, cancellationToken);

    /// <param name="startFrame">
    /// First frame wanted. On a constant-rate clip ffmpeg seeks there (half a frame early, so rounding of timestamps
    /// cannot skip it) and indices continue from it; otherwise decoding starts at frame 0 and the caller skips.
    /// </param>
    public static IAsyncEnumerable<(long Index, ImageFrame Frame)> ReadFrames(string path, double? fps, long startFrame, CancellationToken cancellationToken = default) =>
        ReadFrames(path, fps, startFrame, null, cancellationToken);

    /// <param name="buffers">Where frames' arrays come from; the caller returns finished frames to it (see <see cref="FrameBufferPool"/>).</param>
    public static async IAsyncEnumerable<(long Index, ImageFrame Frame)> ReadFrames(
        string path,
        double? fps,
        long startFrame,
        FrameBufferPool? buffers,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        MediaInfo info = VideoProbe.Probe(path);
        long first = startFrame > 0 && fps is null && info.ConstantFrameRate ? startFrame : 0;
        var channel = Channel.CreateBounded<ImageFrame>(new BoundedChannelOptions(Lookahead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // FFMpegCore stops ffmpeg by writing "q" to its stdin from a cancellation callback, which throws (broken
        // pipe) when ffmpeg has already exited; on a token shared with the caller that exception surfaced in
        // whoever cancelled (a merge ending its range). Only FFMpegCore listens to this one, cancelled here.
        using var ffmpegStop = new CancellationTokenSource();
        using CancellationTokenRegistration relay = stop.Token.Register(() => StopFfmpeg(ffmpegStop));
        var sink = new FrameChannelSink(info.Width, info.Height, channel.Writer, buffers ?? new FrameBufferPool(0), stop.Token);
        Task decode = Task.Run(
            async () =>
            {
                try
                {
                    await FFMpegArguments.FromFileInput(path, true, i =>
                        {
                            if (first > 0)
                            {
                                // input seeking decodes from the key frame before and drops frames up to this time
                                // (-ss counts from the file's start; the video may begin later than the audio)
                                i.WithCustomArgument(FormattableString.Invariant($"-ss {info.VideoOffset + ((first - 0.5) / info.FrameRate):0.######}"));
                            }
                        })
                        .OutputToPipe(sink, o =>
                        {
                            o.WithVideoCodec("rawvideo").ForceFormat("rawvideo").WithCustomArgument("-pix_fmt bgr24").DisableAudio();
                            if (fps is null)
                            {
                                // exactly the frames the file stores: no duplicates or drops to force a constant rate
                                o.WithCustomArgument("-fps_mode passthrough");
                            }
                            else if (fps > 0)
                            {
                                o.WithCustomArgument(FormattableString.Invariant($"-vf fps={fps.Value}"));
                            }
                        })
                        .CancellableThrough(ffmpegStop.Token)
                        .ProcessAsynchronously(throwOnError: true)
                        .ConfigureAwait(false);
                    // ffmpeg has exited, but the sink may still be handing its last frames to the channel.
                    await sink.Finished.ConfigureAwait(false);
                    channel.Writer.TryComplete();
                }
                catch (Exception ex) when (ex is FFMpegException or OperationCanceledException or IOException or InvalidOperationException)
                {
                    channel.Writer.TryComplete(stop.IsCancellationRequested ? null : new MediaException(
                        $"{path}: ffmpeg stopped while decoding after {sink.FramesWritten} frame(s) ({ex.Message.Split('\n')[0]}). The file may be truncated or corrupt.", ex));
                }
            },
            CancellationToken.None);

        long index = first;
        try
        {
            await foreach (ImageFrame frame in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return (index++, frame);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await decode.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the consumer stopped early; ffmpeg was told to stop
            }
        }

        if (index == first)
        {
            throw new MediaException($"{path}: ffmpeg decoded no frames{(first > 0 ? $" from frame {first}" : "")}. The file may be truncated or corrupt; re-export it.");
        }

        // ffmpeg quietly stops at the end of a cut-short file; the container still claims the full length.
        if (fps is null && !cancellationToken.IsCancellationRequested && info.FrameCount > 10 && index < (info.FrameCount * 0.9) - 1)
        {
            throw new MediaException(
                $"{path}: only {index} of the ~{info.FrameCount} frames its header announces could be decoded. The file is truncated; re-copy or re-export it.");
        }
    }

    private static void StopFfmpeg(CancellationTokenSource ffmpegStop)
    {
        try
        {
            ffmpegStop.Cancel();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is IOException or InvalidOperationException or ObjectDisposedException))
        {
            // ffmpeg had already exited (its stdin is closed): there is nothing left to stop
        }
    }

    /// <summary>Cuts ffmpeg's raw output into frames and hands them to a bounded channel.</summary>
    /// <remarks>
    /// FFMpegCore cancels the token it passes to <see cref="ReadAsync"/> as soon as ffmpeg exits, while frames may
    /// still sit in the pipe; the sink therefore reads and hands over frames under our own token only.
    /// </remarks>
    private sealed class FrameChannelSink(int width, int height, ChannelWriter<ImageFrame> writer, FrameBufferPool buffers, CancellationToken stop) : IPipeSink
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long FramesWritten { get; private set; }

        /// <summary>Completes when every frame read from ffmpeg has been written to the channel.</summary>
        public Task Finished => _finished.Task;

        public string GetFormat() => "rawvideo";

        public string GetStreamArguments() => "";

        public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
        {
            try
            {
                await Pump(inputStream, stop).ConfigureAwait(false);
                _finished.TrySetResult();
            }
            catch (Exception ex)
            {
                _finished.TrySetException(ex);
                throw;
            }
        }

        private async Task Pump(Stream inputStream, CancellationToken cancellationToken)
        {
            int frameBytes = width * height * 3;
            while (true)
            {
                byte[] buffer = buffers.Rent(frameBytes);
                int filled = 0;
                while (filled < frameBytes)
                {
                    int n = await inputStream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return; // end of stream; a partial last frame is dropped
                    }

                    filled += n;
                }

                await writer.WriteAsync(new ImageFrame(width, height, buffer), cancellationToken).ConfigureAwait(false);
                FramesWritten++;
            }
        }
    }
}
