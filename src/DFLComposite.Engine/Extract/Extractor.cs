using System.Text.Json;
using System.Threading.Channels;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// DeepFaceLab's extractor: inputs in, a faceset folder out. Frames stream from ffmpeg; detection and
/// landmarking run on several cores at once while results are consumed in frame order (smoothing needs the
/// order), so decode, detect and write overlap and memory stays bounded. Work goes to
/// <c>&lt;output&gt;.partial</c> with a journal; the folder is renamed to <c>&lt;output&gt;</c> only when
/// complete, and a re-run after an interruption resumes from the journal.
/// </summary>
/// <param name="workers">Frames analysed at once (0 = one per core).</param>
public sealed class Extractor(FaceFinder finder, ExtractSettings settings, ILogger log, int workers = 0)
{
    public const string SettingsFileName = "extract-settings.json";
    private readonly int _workers = workers > 0 ? workers : Math.Max(1, Environment.ProcessorCount);

    public async Task<ExtractResult> RunAsync(IReadOnlyList<string> inputs, string output, IProgress<ExtractProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        output = Path.GetFullPath(output);
        if (File.Exists(output))
        {
            throw Settings.JobValidationException.For("output", $"{output} is a file; the output must be a folder");
        }

        if (File.Exists(Path.Combine(output, FaceSetIndex.FileName)))
        {
            throw Settings.JobValidationException.For("output", $"{output} already holds a faceset. Choose another output folder, or delete it first");
        }

        IReadOnlyList<ExtractSource> sources = ExtractInputs.Expand(inputs);
        string work = output + ".partial";
        Directory.CreateDirectory(work);
        CheckSettings(work);
        foreach (string stale in Directory.EnumerateFiles(work, AtomicFile.TempPattern))
        {
            File.Delete(stale); // a write cut short by a kill; its frame is not in the journal and will be redone
        }

        var skipped = new List<string>();
        bool resumed;
        FaceSetEntry[] entries;
        var summaries = new List<SourceSummary>();
        using (var journal = new ExtractJournal(work))
        {
            resumed = journal.Resumed;
            if (resumed)
            {
                log.LogInformation("Resuming the interrupted extraction in {Work}", work);
            }

            try
            {
                await Process(sources, work, journal, skipped, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && journal.Entries.Count == 0 && !resumed)
            {
                // failed before any face was kept (a bad input, a full disk): nothing to resume, so leave nothing behind
                journal.Dispose();
                TryDelete(work);
                throw;
            }

            entries = journal.Entries.OrderBy(e => e.File, StringComparer.Ordinal).ToArray();
            summaries.AddRange(sources.Select(s =>
            {
                (long frames, long withFaces) = journal.Counts(s.Key);
                return new SourceSummary(s.Path, s.IsVideo, frames, withFaces, entries.Count(e => e.SourceClip == s.Key));
            }));
        }

        if (entries.Length == 0)
        {
            Directory.Delete(work, recursive: true);
            throw new NoFaceException(finder.Reference is { Counts.Rejected: > 0 } person
                ? $"No face in {Describe(sources)} is the reference person: {person.Counts.Rejected} face(s) of other people were left out " +
                  $"(identity distance must be under {person.Threshold}). Check the reference photo(s), or raise the reference threshold."
                : $"No face found in {Describe(sources)}. Check that the input shows a face at least {settings.MinFace} px wide (min-face), or lower the detector threshold (min-score).");
        }

        FaceSet.WriteIndex(work, new FaceSetIndex(FaceSetIndex.CurrentVersion, settings.FaceType.ShortName(), settings.Size, DateTimeOffset.UtcNow, entries));
        File.Delete(Path.Combine(work, ExtractJournal.FileName));
        if (Directory.Exists(output))
        {
            Directory.Delete(output); // only an empty folder: one holding a faceset was refused above
        }

        Directory.Move(work, output);
        return new ExtractResult(output, entries.Length, summaries, skipped, resumed);
    }

    private async Task Process(
        IReadOnlyList<ExtractSource> sources,
        string work,
        ExtractJournal journal,
        List<string> skipped,
        IProgress<ExtractProgress>? progress,
        CancellationToken ct)
    {
        // Three stages, overlapped: analysis (decode, key-frame detection, photos) on workers; tracking and smoothing in
        // frame order on this loop; cutting, encoding and writing the faces on workers again, journaled in frame order
        // (the journal's "last frame done" is what a resumed run trusts). Each hop is a bounded queue.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        CancellationToken token = stop.Token;
        var inFlight = new Threading.InFlight();
        var buffers = new FrameBufferPool();
        var queue = Channel.CreateBounded<Task<Analysed>>(new BoundedChannelOptions(_workers * 2) { SingleReader = true, SingleWriter = true });
        Task producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (Work item in Frames(sources, journal, buffers, token).ConfigureAwait(false))
                    {
                        await queue.Writer.WriteAsync(inFlight.Run(() => Analyse(item), token), token).ConfigureAwait(false);
                    }

                    queue.Writer.Complete();
                }
                catch (Exception ex)
                {
                    queue.Writer.Complete(ex);
                }
            },
            token);

        var cut = Channel.CreateBounded<Cut>(new BoundedChannelOptions(_workers * 2) { SingleReader = true, SingleWriter = true });
        Task journaling = Task.Run(() => Journal(cut.Reader, journal, buffers, sources.Count, progress, stop), token);
        try
        {
            LandmarkSmoother? smoother = null;
            FaceTracker? tracker = null;
            string? current = null;
            await foreach (Task<Analysed> pending in queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Analysed a;
                using (Diagnostics.StageTimes.Measure("wait: analysis"))
                {
                    a = await pending.ConfigureAwait(false);
                }

                ExtractSource source = a.Work.Source;
                if (source.Key != current)
                {
                    current = source.Key;
                    double sourceFps = source.Video?.FrameRate ?? 25;
                    double step = settings.Fps is { } f ? Math.Max(1, sourceFps / f) : settings.Every;
                    smoother = source.IsVideo ? new LandmarkSmoother(settings.Smooth, sourceFps / step) : null;
                    tracker = source.IsVideo ? new FaceTracker(finder) : null;
                }

                if (a.Work.EndOfSource)
                {
                    await cut.Writer.WriteAsync(new Cut(a.Work, Task.FromResult<IReadOnlyList<FaceSetEntry>>([])), token).ConfigureAwait(false);
                    continue;
                }

                if (a.Error is not null)
                {
                    skipped.Add(a.Error);
                    log.LogWarning("{Error}", a.Error);
                }

                var found = a.Frame is null ? [] : tracker?.Next(a.Frame, a.Detections) ?? a.Faces;
                Task<IReadOnlyList<FaceSetEntry>> faces;
                if (a.Frame is not null && found.Count > 0)
                {
                    IReadOnlyList<FaceLandmarks> landmarks = smoother?.Smooth(found) ?? found.Select(f => f.Landmarks).ToArray();
                    ImageFrame frame = a.Frame;
                    faces = inFlight.Run<IReadOnlyList<FaceSetEntry>>(
                        () => found.Select((f, i) => Write(work, frame, f.Face, landmarks[i], source, a.Work.FrameIndex, i)).ToArray(), token);
                }
                else
                {
                    smoother?.Smooth([]);
                    faces = Task.FromResult<IReadOnlyList<FaceSetEntry>>([]);
                }

                await cut.Writer.WriteAsync(new Cut(a.Work, faces), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // the journal stage failed (a face could not be written) and stopped the rest: its error is reported below
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            cut.Writer.TryComplete();
            await Quiesce(journaling, producer, inFlight).ConfigureAwait(false);
            throw;
        }
        finally
        {
            cut.Writer.TryComplete();
        }

        try
        {
            await journaling.ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Quiesce(journaling, producer, inFlight).ConfigureAwait(false);
            throw;
        }
    }

    // Journals each frame's faces once they are on disk, in frame order; a failed write stops the whole run.
    // A frame's bytes go back to the decoder once its faces are written: by then the tracker and every cut are done with it.
    private static async Task Journal(ChannelReader<Cut> cuts, ExtractJournal journal, FrameBufferPool buffers, int sourceCount, IProgress<ExtractProgress>? progress, CancellationTokenSource stop)
    {
        try
        {
            int faces = journal.Entries.Count;
            await foreach (Cut c in cuts.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                IReadOnlyList<FaceSetEntry> written;
                using (Diagnostics.StageTimes.Measure("wait: write"))
                {
                    written = await c.Faces.ConfigureAwait(false);
                }

                buffers.Return(c.Work.Frame);

                ExtractSource source = c.Work.Source;
                if (c.Work.EndOfSource)
                {
                    journal.SourceDone(source.Key);
                    continue;
                }

                journal.FrameDone(source.Key, c.Work.FrameIndex, written);
                if (!source.IsVideo)
                {
                    journal.SourceDone(source.Key);
                }

                faces += written.Count;
                progress?.Report(new ExtractProgress(source.Path, c.Work.SourceNumber, sourceCount, c.Work.FrameIndex + 1, source.Video?.FrameCount ?? 1, faces));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Waits, without throwing, until no stage and no worker is running: the caller deletes the work folder and disposes
    // the journal right after, which a write still in flight would otherwise race.
    private static async Task Quiesce(Task journaling, Task producer, Threading.InFlight inFlight)
    {
        await Task.WhenAll(journaling, producer).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await inFlight.IdleAsync().ConfigureAwait(false);
    }

    private FaceSetEntry Write(string work, ImageFrame frame, DetectedFace face, FaceLandmarks landmarks, ExtractSource source, long frameIndex, int faceIndex)
    {
        AlignedFace aligned = FaceCutter.Cut(frame, face, landmarks, settings.FaceType, settings.Size, Path.GetFileName(source.Path), source.Key, frameIndex, faceIndex);
        string file = $"{source.Key}_{frameIndex:D6}_{faceIndex}{(settings.Png ? ".png" : ".jpg")}";
        AlignedFaceFile.Write(Path.Combine(work, file), aligned, settings.Png, settings.JpegQuality);
        return FaceSet.EntryFor(file, aligned.Metadata);
    }

    private Analysed Analyse(Work item)
    {
        if (item.EndOfSource)
        {
            return new Analysed(item, null, [], null, null);
        }

        if (item.Source.IsVideo)
        {
            // Landmarks follow the face in frame order (FaceTracker, on the consumer); here only key-frame detection.
            return new Analysed(item, item.Frame, [], item.KeyFrame ? finder.Detect(item.Frame!) : null, null);
        }

        ImageFrame frame;
        try
        {
            frame = item.Frame ?? ImageIO.Read(item.Source.Path);
        }
        catch (MediaException ex) when (!item.Source.Explicit)
        {
            // One bad photo in a folder of hundreds is reported and skipped; a photo named on the command line is an error.
            return new Analysed(item, null, [], null, $"skipped {ex.Message}");
        }

        return new Analysed(item, frame, finder.Find(frame), null, null);
    }

    private async IAsyncEnumerable<Work> Frames(IReadOnlyList<ExtractSource> sources, ExtractJournal journal, FrameBufferPool buffers, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (int n = 0; n < sources.Count; n++)
        {
            ExtractSource source = sources[n];
            if (journal.IsDone(source.Key))
            {
                continue;
            }

            if (!source.IsVideo)
            {
                yield return new Work(source, n + 1, 0, null, false, true);
                continue;
            }

            long resumeAfter = journal.LastFrame(source.Key);
            double rate = source.Video!.FrameRate;
            long used = 0;
            await using var frames = VideoReader.ReadFrames(source.Path, null, 0, buffers, ct).GetAsyncEnumerator(ct);
            while (true)
            {
                using (Diagnostics.StageTimes.Measure("wait: decode"))
                {
                    if (!await frames.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }

                (long index, ImageFrame frame) = frames.Current;
                if (index > resumeAfter && Selected(index, rate))
                {
                    yield return new Work(source, n + 1, index, frame, false, used++ % settings.DetectEvery == 0);
                }
                else
                {
                    buffers.Return(frame); // resumed past it, or not selected
                }
            }

            yield return new Work(source, n + 1, -1, null, true, false);
        }
    }

    private bool Selected(long index, double sourceFps)
    {
        if (settings.Fps is { } fps && sourceFps > 0)
        {
            // frame i starts a new output tick: keeps the original frame numbers, unlike ffmpeg's fps filter
            return index == 0 || Math.Floor(index * fps / sourceFps) > Math.Floor((index - 1) * fps / sourceFps);
        }

        return index % settings.Every == 0;
    }

    private void CheckSettings(string work)
    {
        string path = Path.Combine(work, SettingsFileName);
        string json = JsonSerializer.Serialize(settings, AlignedFaceFile.Json);
        if (File.Exists(path) && File.ReadAllText(path) != json)
        {
            throw new UserErrorException(
                $"{work} holds an interrupted extraction with different settings ({File.ReadAllText(path)}). Re-run with the same settings to resume it, or delete that folder.");
        }

        AtomicFile.WriteAllText(path, json);
    }

    private static string Describe(IReadOnlyList<ExtractSource> sources) =>
        sources.Count <= 3 ? string.Join(", ", sources.Select(s => s.Path)) : $"{sources.Count} inputs ({sources[0].Path}, ...)";

    private sealed record Cut(Work Work, Task<IReadOnlyList<FaceSetEntry>> Faces);

    private sealed record Work(ExtractSource Source, int SourceNumber, long FrameIndex, ImageFrame? Frame, bool EndOfSource, bool KeyFrame);

    private sealed record Analysed(
        Work Work,
        ImageFrame? Frame,
        IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> Faces,
        IReadOnlyList<DetectedFace>? Detections,
        string? Error);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // best effort: the error being reported matters more
        }
    }
}
