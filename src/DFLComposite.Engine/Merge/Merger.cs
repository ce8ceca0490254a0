using System.Threading.Channels;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using VideoWriter = DFLComposite.Engine.Media.VideoWriter;

namespace DFLComposite.Engine.Merge;

public sealed record MergeProgress(long Frame, long TotalFrames, long FramesWithFaces);

public sealed record MergeResult(string Output, long Frames, long FramesWithFaces, bool Audio);

/// <summary>
/// DeepFaceLab's merger, streaming: frames come from ffmpeg, key-frame detection runs ahead on worker threads,
/// faces are followed and smoothed in frame order (as in extraction), each face is swapped and blended by
/// <see cref="FaceComposer"/>, and frames go to an ffmpeg encoder (with the input's audio, at its frame rate) or to
/// a PNG sequence. Frames without a face pass through untouched. Memory is bounded by the queues.
/// </summary>
public sealed class Merger(FaceFinder finder, FaceComposer composer, MergeSettings settings, ILogger log, MergeKeyframes? keyframes = null)
{
    private static readonly int Workers = Math.Max(1, Environment.ProcessorCount);

    public async Task<MergeResult> RunAsync(string input, string output, string? maskOutput, IProgress<MergeProgress>? progress = null, CancellationToken ct = default)
    {
        input = Path.GetFullPath(input);
        output = Path.GetFullPath(output);
        if (ImageIO.IsImage(input))
        {
            return MergeImage(input, output, maskOutput);
        }

        MediaInfo info = VideoProbe.Probe(input);
        bool toFolder = string.IsNullOrEmpty(Path.GetExtension(output)) || Directory.Exists(output);
        if (toFolder)
        {
            Directory.CreateDirectory(output);
        }

        if (maskOutput is not null)
        {
            Directory.CreateDirectory(maskOutput);
        }

        await using VideoWriter? writer = toFolder ? null : new VideoWriter(output, info.Width, info.Height, info.FrameRate, info.HasAudio ? input : null, settings.Codec, settings.Crf);
        var queue = Channel.CreateBounded<Task<(long Index, ImageFrame Frame, IReadOnlyList<DetectedFace>? Detections)>>(Workers * 2);
        Task producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach ((long index, ImageFrame frame) in VideoReader.ReadFrames(input, cancellationToken: ct).ConfigureAwait(false))
                    {
                        bool key = index % settings.DetectEvery == 0;
                        await queue.Writer.WriteAsync(Task.Run(() => (index, frame, key ? finder.Detect(frame) : null), ct), ct).ConfigureAwait(false);
                    }

                    queue.Writer.Complete();
                }
                catch (Exception ex)
                {
                    queue.Writer.Complete(ex);
                }
            },
            ct);

        // Tracking needs frame order and runs here; composing (model, colour, blend) of different frames is
        // independent, so it runs on workers, and a writer takes the results back in order.
        var composed = Channel.CreateBounded<Task<(long Index, ImageFrame Frame, Mat? Mask, bool Face)>>(Workers);
        long frames = 0, withFaces = 0;
        Task writing = Task.Run(
            async () =>
            {
                await foreach (var pending in composed.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    (long index, ImageFrame frame, Mat? mask, bool face) = await pending.ConfigureAwait(false);
                    using (mask)
                    {
                        Emit(writer, output, maskOutput, index, frame, mask);
                    }

                    frames++;
                    withFaces += face ? 1 : 0;
                    progress?.Report(new MergeProgress(frames, info.FrameCount, withFaces));
                }
            },
            ct);

        var tracker = new FaceTracker(finder);
        var smoother = new LandmarkSmoother(settings.Smooth, info.FrameRate);
        try
        {
            await foreach (var pending in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                (long index, ImageFrame frame, IReadOnlyList<DetectedFace>? detections) = await pending.ConfigureAwait(false);
                IReadOnlyList<FaceLandmarks> landmarks = smoother.Smooth(tracker.Next(frame, detections));
                bool wantMask = maskOutput is not null;
                MergeSettings? frameSettings = keyframes?.At(index, settings);
                await composed.Writer.WriteAsync(Task.Run(() => (index, frame, ComposeAll(frame, landmarks, wantMask, frameSettings), landmarks.Count > 0), ct), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            composed.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);
        await producer.ConfigureAwait(false);
        if (writer is not null)
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }

        log.LogInformation("Merged {Frames} frames, {WithFaces} with a face, into {Output}", frames, withFaces, output);
        return new MergeResult(output, frames, withFaces, writer is not null && info.HasAudio);
    }

    /// <summary>Merges every face into the frame's own pixels; returns the frame's merge mask when asked for.</summary>
    private Mat? ComposeAll(ImageFrame frame, IReadOnlyList<FaceLandmarks> faces, bool wantMask, MergeSettings? frameSettings)
    {
        using Mat mat = frame.AsMat();
        Mat? mask = wantMask ? new Mat(frame.Height, frame.Width, MatType.CV_32FC1, Scalar.All(0)) : null;
        foreach (FaceLandmarks lm in faces)
        {
            using Mat faceMask = composer.Compose(mat, lm.Points68, frameSettings);
            if (mask is not null)
            {
                Cv2.Max(mask, faceMask, mask);
            }
        }

        return mask;
    }

    private static void Emit(VideoWriter? writer, string output, string? maskOutput, long index, ImageFrame frame, Mat? mask)
    {
        if (writer is not null)
        {
            writer.Write(frame);
        }
        else
        {
            using Mat mat = frame.AsMat();
            WritePng(Path.Combine(output, $"{index:D6}.png"), mat);
        }

        if (maskOutput is not null && mask is not null)
        {
            using var mask8 = new Mat();
            mask.ConvertTo(mask8, MatType.CV_8UC1, 255);
            WritePng(Path.Combine(maskOutput, $"{index:D6}.png"), mask8);
        }
    }

    private MergeResult MergeImage(string input, string output, string? maskOutput)
    {
        ImageFrame frame = ImageIO.Read(input);
        using Mat mat = frame.AsMat();
        using var mask = new Mat(frame.Height, frame.Width, MatType.CV_32FC1, Scalar.All(0));
        var faces = finder.Find(frame);
        foreach (var (_, lm) in faces)
        {
            using Mat faceMask = composer.Compose(mat, lm.Points68);
            Cv2.Max(mask, faceMask, mask);
        }

        string ext = Path.GetExtension(output).ToLowerInvariant();
        Cv2.ImEncode(ext is ".jpg" or ".jpeg" ? ".jpg" : ".png", mat, out byte[] bytes);
        AtomicFile.WriteAllBytes(output, bytes);
        if (maskOutput is not null)
        {
            using var mask8 = new Mat();
            mask.ConvertTo(mask8, MatType.CV_8UC1, 255);
            WritePng(maskOutput, mask8);
        }

        return new MergeResult(output, 1, faces.Count > 0 ? 1 : 0, false);
    }

    private static void WritePng(string path, Mat image)
    {
        Cv2.ImEncode(".png", image, out byte[] png, new ImageEncodingParam(ImwriteFlags.PngCompression, 1));
        AtomicFile.WriteAllBytes(path, png);
    }
}
