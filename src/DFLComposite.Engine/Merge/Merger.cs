using System.Threading.Channels;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

public sealed record MergeProgress(long Frame, long TotalFrames, long FramesWithFaces);

public sealed record MergeResult(string Output, long Frames, long FramesWithFaces, bool Audio);

/// <summary>
/// Frames <see cref="First"/>..<see cref="Last"/> (input frame numbers from 0, inclusive) of a clip, for render-farm
/// chunks. The <see cref="PreRoll"/> frames before the range are tracked and smoothed but not written, so a chunk's
/// first frames match what a whole-clip merge would give.
/// </summary>
public sealed record MergeRange(long First, long Last, int PreRoll = 12);

/// <summary>
/// DeepFaceLab's merger, streaming: frames come from ffmpeg, key-frame detection runs ahead on worker threads,
/// faces are followed and smoothed in frame order (as in extraction), each face is swapped and blended by
/// <see cref="FaceComposer"/>, and frames go to a <see cref="MergeSink"/> (ffmpeg encoder with the input's audio at
/// its frame rate, or a PNG sequence). Frames without a face pass through untouched. Memory is bounded by the queues.
/// </summary>
public sealed class Merger(FaceFinder finder, IFaceCompositor composer, MergeSettings settings, ILogger log, MergeKeyframes? keyframes = null)
{
    private static readonly int Workers = Math.Max(1, Environment.ProcessorCount);

    public Task<MergeResult> RunAsync(string input, string output, string? maskOutput, IProgress<MergeProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(input, new MergeOutputs(output, maskOutput), progress, ct);

    public Task<MergeResult> RunAsync(string input, MergeOutputs outputs, IProgress<MergeProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(input, outputs, null, progress, ct);

    /// <param name="range">Only these frames (sequence outputs only), or null for the whole clip.</param>
    public async Task<MergeResult> RunAsync(string input, MergeOutputs outputs, MergeRange? range, IProgress<MergeProgress>? progress = null, CancellationToken ct = default)
    {
        input = Path.GetFullPath(input);
        if (settings.Mode == "raw-predict" && (outputs.Alpha || outputs.MaskOutput is not null || outputs.MatteOnly))
        {
            throw new UserErrorException("--mode raw-predict writes the predicted face squares, which have no merge mask: drop --alpha / --mask-output.");
        }

        outputs = outputs with { Output = Path.GetFullPath(outputs.Output) };
        if (ImageIO.IsImage(input))
        {
            return MergeImage(input, outputs);
        }

        MediaInfo info = VideoProbe.Probe(input);
        long from = 0, to = long.MaxValue, total = info.FrameCount;
        if (range is not null)
        {
            if (!outputs.ToFolder)
            {
                throw new UserErrorException($"A frame range renders into an image sequence: give a folder as the output, not {outputs.Output}.");
            }

            if (range.First < 0 || range.Last < range.First || (info.FrameCount > 0 && range.First >= info.FrameCount))
            {
                throw new UserErrorException($"Frames {range.First}-{range.Last} are not in {input} (frames 0-{info.FrameCount - 1}).");
            }

            (from, to) = (Math.Max(0, range.First - range.PreRoll), range.Last);
            total = Math.Min(range.Last, Math.Max(range.First, info.FrameCount - 1)) - range.First + 1;
        }

        long first = range?.First ?? 0;
        bool rawPredict = settings.Mode == "raw-predict";
        int res = composer.Resolution;
        await using var sink = new MergeSink(outputs, rawPredict ? res : info.Width, rawPredict ? res : info.Height, info.FrameRate, info.HasAudio && !rawPredict ? input : null, settings);
        bool wantMask = outputs.MaskOutput is not null || outputs.Alpha || outputs.MatteOnly;
        // One failure anywhere (decode, a worker, the writer: disk full, ffmpeg) cancels the others, so the bounded
        // queues never leave a stage waiting for a stage that has stopped.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        CancellationToken token = stop.Token;
        var queue = Channel.CreateBounded<Task<(long Index, ImageFrame Frame, IReadOnlyList<DetectedFace>? Detections)>>(Workers * 2);
        Task producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach ((long index, ImageFrame frame) in VideoReader.ReadFrames(input, null, from, token).ConfigureAwait(false))
                    {
                        if (index < from)
                        {
                            continue;
                        }

                        if (index > to)
                        {
                            break;
                        }

                        bool key = index % settings.DetectEvery == 0 || index == from;
                        await queue.Writer.WriteAsync(Task.Run(() => (index, frame, key ? finder.Detect(frame) : null), token), token).ConfigureAwait(false);
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
        var composed = Channel.CreateBounded<Task<(long Index, FrameResult Result)>>(Workers);
        long frames = 0, withFaces = 0;
        Task writing = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var pending in composed.Reader.ReadAllAsync(token).ConfigureAwait(false))
                    {
                        (long index, FrameResult result) = await pending.ConfigureAwait(false);
                        using (result)
                        {
                            sink.Write(index, result.Frame, result.Mask, result.Debug);
                        }

                        frames++;
                        withFaces += result.Faces > 0 ? 1 : 0;
                        progress?.Report(new MergeProgress(frames, total, withFaces));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    stop.Cancel();
                    throw;
                }
            },
            token);

        var tracker = new FaceTracker(finder);
        var smoother = new LandmarkSmoother(settings.Smooth, info.FrameRate);
        IReadOnlyList<FaceLandmarks> previous = [];
        try
        {
            await foreach (var pending in queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                (long index, ImageFrame frame, IReadOnlyList<DetectedFace>? detections) = await pending.ConfigureAwait(false);
                IReadOnlyList<FaceLandmarks> landmarks = smoother.Smooth(tracker.Next(frame, detections));
                var faces = landmarks.Select(lm => (lm.Points68, FaceMotion.Since(lm.Points68, previous))).ToArray();
                previous = landmarks;
                if (index < first)
                {
                    continue; // pre-roll: tracked and smoothed, not written
                }

                MergeSettings frameSettings = keyframes?.At(index, settings) ?? settings;
                await composed.Writer.WriteAsync(Task.Run(() => (index, ComposeAll(frame, faces, wantMask, outputs.DebugOutput is not null, frameSettings)), token), token).ConfigureAwait(false);
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
            await Task.WhenAll(writing, producer).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        finally
        {
            composed.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);
        await producer.ConfigureAwait(false);
        await sink.CompleteAsync().ConfigureAwait(false);
        log.LogInformation("Merged {Frames} frames, {WithFaces} with a face, into {Output}", frames, withFaces, outputs.Output);
        return new MergeResult(outputs.Output, frames, withFaces, sink.IsVideo && info.HasAudio && !rawPredict);
    }

    /// <summary>Merges every face into the frame's own pixels (or, for raw-predict, returns the first prediction).</summary>
    private FrameResult ComposeAll(ImageFrame frame, IReadOnlyList<(IReadOnlyList<PointF> Points, (double X, double Y) Motion)> faces, bool wantMask, bool debug, MergeSettings frameSettings)
    {
        using Mat mat = frame.AsMat();
        Mat? mask = wantMask ? new Mat(frame.Height, frame.Width, MatType.CV_32FC1, Scalar.All(0)) : null;
        var panels = new List<Mat>();
        ImageFrame result = frame;
        foreach ((IReadOnlyList<PointF> points, (double X, double Y) motion) in faces)
        {
            using ComposedFace face = composer.Compose(mat, points, frameSettings, motion, debug);
            if (face.Prediction is not null)
            {
                result = ToFrame(face.Prediction);
                break; // raw-predict: one face square per output frame
            }

            if (mask is not null && face.FrameMask is not null)
            {
                Cv2.Max(mask, face.FrameMask, mask);
            }

            if (face.DebugPanels is not null)
            {
                panels.Add(face.DebugPanels.Clone());
            }
        }

        if (frameSettings.Mode == "raw-predict")
        {
            // a black square for a frame with no face keeps the sequence's frame numbering
            result = ReferenceEquals(result, frame) ? new ImageFrame(composer.Resolution, composer.Resolution, new byte[composer.Resolution * composer.Resolution * 3]) : result;
            mask?.Dispose();
            mask = null;
        }

        Mat? debugImage = null;
        if (panels.Count > 0)
        {
            debugImage = new Mat();
            Cv2.VConcat(panels.ToArray(), debugImage);
            panels.ForEach(p => p.Dispose());
        }

        return new FrameResult(result, mask, debugImage, faces.Count);
    }

    private static ImageFrame ToFrame(Mat prediction)
    {
        using var eight = new Mat();
        prediction.ConvertTo(eight, MatType.CV_8UC3, 255);
        eight.GetArray(out Vec3b[] px);
        byte[] bytes = new byte[px.Length * 3];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).CopyTo(bytes);
        return new ImageFrame(eight.Width, eight.Height, bytes);
    }

    private MergeResult MergeImage(string input, MergeOutputs outputs)
    {
        string target = outputs.Output;
        if (outputs.ToFolder)
        {
            Directory.CreateDirectory(target);
            target = Path.Combine(target, "000000.png");
        }

        string ext = Path.GetExtension(target).ToLowerInvariant();
        if (ext is not (".png" or ".jpg" or ".jpeg"))
        {
            throw new UserErrorException($"{input} is a still: give an image output (.png or .jpg) or a folder, not {outputs.Output}.");
        }

        if (outputs.Alpha && ext != ".png")
        {
            throw new UserErrorException($"--alpha needs a PNG output (JPEG has no alpha channel): {outputs.Output}.");
        }

        ImageFrame frame = ImageIO.Read(input);
        var faces = finder.Find(frame).Select(f => ((IReadOnlyList<PointF>)f.Landmarks.Points68, default((double X, double Y)))).ToArray();
        using FrameResult result = ComposeAll(frame, faces, wantMask: true, outputs.DebugOutput is not null, settings);
        using Mat mat = result.Frame.AsMat();
        using var mask8 = new Mat(mat.Size(), MatType.CV_8UC1, Scalar.All(0));
        result.Mask?.ConvertTo(mask8, MatType.CV_8UC1, 255);
        Mat main = outputs.MatteOnly ? mask8 : mat;
        if (ext == ".png")
        {
            MergeSink.WritePng(target, main, outputs.Alpha && !outputs.MatteOnly ? mask8 : null);
        }
        else
        {
            Cv2.ImEncode(".jpg", main, out byte[] bytes);
            IO.AtomicFile.WriteAllBytes(target, bytes);
        }

        if (outputs.MaskOutput is not null)
        {
            MergeSink.WritePng(StillTarget(outputs.MaskOutput), mask8, null);
        }

        if (outputs.DebugOutput is not null && result.Debug is not null)
        {
            MergeSink.WritePng(StillTarget(outputs.DebugOutput), result.Debug, null);
        }

        return new MergeResult(target, 1, faces.Length > 0 ? 1 : 0, false);
    }

    // A side output of a still: a .png path as given, else a folder holding 000000.png as for a sequence's first frame.
    private static string StillTarget(string path)
    {
        if (Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(path);
        return Path.Combine(path, "000000.png");
    }

    private sealed record FrameResult(ImageFrame Frame, Mat? Mask, Mat? Debug, int Faces) : IDisposable
    {
        public void Dispose()
        {
            Mask?.Dispose();
            Debug?.Dispose();
        }
    }
}
