using System.Threading.Channels;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Threading;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Merge;

/// <param name="Preview">The preview image, when it was refreshed with this frame.</param>
public sealed record MergeProgress(long Frame, long TotalFrames, long FramesWithFaces, string? Preview = null);

public sealed record MergeResult(string Output, long Frames, long FramesWithFaces, bool Audio);

/// <summary>
/// DeepFaceLab's merger over files, streaming, on a <see cref="FrameMerger"/> session: frames come from ffmpeg,
/// key-frame detection runs ahead on worker threads, the session follows and smooths faces in frame order, each frame's
/// faces are composed on workers, and a writer puts results in order into a <see cref="MergeSink"/> (ffmpeg encoder
/// with the input's audio at its frame rate, or an image sequence). Frames without a face pass through untouched.
/// Memory is bounded by the queues.
/// </summary>
/// <param name="workers">Frames analysed and composed at once.</param>
public sealed class Merger(FrameMerger session, ILogger log, int workers = 0)
{
    private readonly int _workers = workers > 0 ? workers : Math.Max(1, Environment.ProcessorCount);

    public Task<MergeResult> RunAsync(string input, MergeOutputs outputs, IProgress<MergeProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(input, outputs, null, progress, ct);

    /// <param name="range">Only these frames, or null for the whole clip.</param>
    public async Task<MergeResult> RunAsync(string input, MergeOutputs outputs, MergeRange? range, IProgress<MergeProgress>? progress = null, CancellationToken ct = default)
    {
        input = Path.GetFullPath(input);
        bool rawPredict = session.Settings.Mode == "raw-predict";
        if (rawPredict && (outputs.Alpha || outputs.MaskOutput is not null || outputs.MatteOnly))
        {
            throw Settings.JobValidationException.For(outputs.Alpha ? "alpha" : "maskOutput", "raw-predict writes the predicted face squares, which have no merge mask; leave it out");
        }

        outputs = outputs with { Output = Path.GetFullPath(outputs.Output) };
        if (ImageIO.IsImage(input))
        {
            return MergeStill(input, outputs);
        }

        MediaInfo info = VideoProbe.Probe(input);
        long from = 0, to = long.MaxValue, total = info.FrameCount;
        if (range is not null)
        {
            if (range.First >= info.FrameCount && info.FrameCount > 0)
            {
                throw Settings.JobValidationException.For("frames", $"frames {range.First}-{range.Last} are not in {input} (frames 0-{info.FrameCount - 1})");
            }

            (from, to) = (Math.Max(0, range.First - range.PreRoll), range.Last);
            total = Math.Min(range.Last, Math.Max(range.First, info.FrameCount - 1)) - range.First + 1;
        }

        long first = range?.First ?? 0;
        int res = session.Compositor.Resolution;
        double? audioStart = range is null ? null : first / info.FrameRate;
        // Decoded frames' arrays are reused once the encoder has them (fresh 2.7 MB arrays page-fault on every frame);
        // with image-sequence outputs they are not handed back, as frames are written in place.
        var buffers = new FrameBufferPool();
        await using var sink = new MergeSink(outputs, rawPredict ? res : info.Width, rawPredict ? res : info.Height, info.FrameRate,
            info.HasAudio && !rawPredict ? input : null, session.Settings, audioStart, rawPredict ? null : buffers);
        bool wantMask = outputs.NeedsMatte;
        PixelFormat work = outputs.WorkFormat;
        // One failure anywhere (decode, a worker, the writer: disk full, ffmpeg) cancels the others, so the bounded
        // queues never leave a stage waiting for a stage that has stopped.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        CancellationToken token = stop.Token;
        var queue = Channel.CreateBounded<Task<(long Index, ImageFrame Frame, IReadOnlyList<DetectedFace>? Detections)>>(_workers * 2);
        // Every worker task started, so none outlives this call: on an error the caller disposes the session (the
        // model's native tensors) right after, and a compose still running would then read freed memory. This was the
        // segfault seen when the output could not be written (the writer failed while frames were being composed).
        var workers = new InFlight();
        Task producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach ((long index, ImageFrame frame) in VideoReader.ReadFrames(input, null, from, buffers, token).ConfigureAwait(false))
                    {
                        if (index < from)
                        {
                            buffers.Return(frame);
                            continue;
                        }

                        if (index > to)
                        {
                            break;
                        }

                        // the session detects on a jump itself; key frames are detected here, ahead, on a worker
                        bool key = index != from && session.IsKeyFrame(index);
                        await queue.Writer.WriteAsync(workers.Run(() => (index, frame, key ? session.Finder.Detect(frame) : null), token), token).ConfigureAwait(false);
                    }

                    queue.Writer.Complete();
                }
                catch (Exception ex)
                {
                    queue.Writer.Complete(ex);
                }
            },
            token);

        // Tracking needs frame order and runs here; composing (model, colour, blend) of different frames is
        // independent, so it runs on workers, and a writer takes the results back in order.
        var composed = Channel.CreateBounded<Task<MergedFrame>>(_workers);
        long frames = 0, withFaces = 0;
        var sincePreview = System.Diagnostics.Stopwatch.StartNew();
        Task writing = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var pending in composed.Reader.ReadAllAsync(token).ConfigureAwait(false))
                    {
                        MergedFrame awaited;
                        using (Diagnostics.StageTimes.Measure("wait: compose"))
                        {
                            awaited = await pending.ConfigureAwait(false);
                        }

                        using MergedFrame result = awaited;
                        frames++;
                        withFaces += result.Faces > 0 ? 1 : 0;
                        string? preview = null;
                        if (outputs.Preview is not null && (frames == 1 || sincePreview.Elapsed > TimeSpan.FromSeconds(2)))
                        {
                            MergeSink.WritePreview(outputs.Preview, result.Frame);
                            preview = outputs.Preview;
                            sincePreview.Restart();
                        }

                        // last: a video output hands the frame's bytes back to the decoder once encoded
                        sink.Write(result.Number, result.Frame, result.Matte, result.Debug);

                        progress?.Report(new MergeProgress(frames, total, withFaces, preview));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    stop.Cancel();
                    throw;
                }
            },
            token);

        try
        {
            await foreach (var pending in queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                (long index, ImageFrame frame, IReadOnlyList<DetectedFace>? detections) tuple;
                using (Diagnostics.StageTimes.Measure("wait: decode+detect"))
                {
                    tuple = await pending.ConfigureAwait(false);
                }

                (long index, ImageFrame frame, IReadOnlyList<DetectedFace>? detections) = tuple;
                TrackedFrame tracked = session.Track(frame, index, detections);
                if (index < first)
                {
                    continue; // pre-roll: tracked and smoothed, not written
                }

                bool debug = outputs.DebugOutput is not null;
                await composed.Writer.WriteAsync(
                    workers.Run(() => session.Compose(work == PixelFormat.Bgr8 ? frame : frame.Convert(work), frame, tracked, wantMask, debug, inPlace: true), token),
                    token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // the writer failed and cancelled the rest: its error is the one to report (awaited below)
        }
        catch
        {
            stop.Cancel(); // decode or a worker failed: stop the writer, then report this error
            composed.Writer.TryComplete();
            await Quiesce(writing, producer, workers).ConfigureAwait(false);
            throw;
        }
        finally
        {
            composed.Writer.TryComplete();
        }

        try
        {
            await writing.ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
        catch
        {
            stop.Cancel();
            await Quiesce(writing, producer, workers).ConfigureAwait(false);
            throw;
        }

        await sink.CompleteAsync().ConfigureAwait(false);
        log.LogInformation("Merged {Frames} frames, {WithFaces} with a face, into {Output}", frames, withFaces, outputs.Output);
        return new MergeResult(outputs.Output, frames, withFaces, sink.IsVideo && info.HasAudio && !rawPredict);
    }

    // Waits for the writer, the producer and every worker task to finish, whatever they end with.
    private static async Task Quiesce(Task writing, Task producer, InFlight workers)
    {
        Task both = Task.WhenAll(writing, producer);
        try
        {
            await both.ConfigureAwait(false);
        }
        catch (Exception) when (both.IsCompleted)
        {
            // their errors are not the one being reported
        }

        await workers.IdleAsync().ConfigureAwait(false);
    }

    private MergeResult MergeStill(string input, MergeOutputs outputs)
    {
        string target = outputs.Output;
        if (outputs.ToFolder)
        {
            Directory.CreateDirectory(target);
            target = Path.Combine(target, "000000" + MergeSink.Extension(outputs.Format));
        }

        string ext = Path.GetExtension(target).ToLowerInvariant();
        if (ext is not (".png" or ".jpg" or ".jpeg" or ".exr"))
        {
            throw Settings.JobValidationException.For("output", $"{input} is a still: give an image output (.png, .jpg or .exr) or a folder, not {outputs.Output}");
        }

        if (outputs.Alpha && ext is ".jpg" or ".jpeg")
        {
            throw Settings.JobValidationException.For("alpha", $"needs a PNG or EXR output (JPEG has no alpha channel): {outputs.Output}");
        }

        ImageFrame frame8 = ImageIO.Read(input);
        PixelFormat work = ext == ".exr" ? PixelFormat.RgbaF32 : outputs.WorkFormat;
        TrackedFrame tracked = session.Track(frame8, 0, null);
        using MergedFrame result = session.Compose(work == PixelFormat.Bgr8 ? frame8 : frame8.Convert(work), frame8, tracked, wantMask: true, outputs.DebugOutput is not null, inPlace: true);
        MergeSink.WriteStill(target, outputs, result);
        return new MergeResult(target, 1, result.Faces > 0 ? 1 : 0, false);
    }
}
