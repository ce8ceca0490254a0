using System.Globalization;
using System.Text.RegularExpressions;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs.Runners;

/// <summary>
/// Joins a chunked render's image sequence into a video (<see cref="AssembleJob"/>). Frames are checked by number before
/// anything is kept: a frame that is missing, present twice (two files for one number) or unreadable/of the wrong size
/// fails the job with exit 3 naming every such frame, and the output is left as it was — a farm must never deliver a
/// video with a silent gap or a repeated frame.
/// </summary>
internal static partial class AssembleRunner
{
    // Up to this many problem frames are listed by number; a whole missing chunk is summarised as a range anyway.
    private const int MaxListed = 40;

    public static async Task<JobResult> RunAsync(AssembleJob job, JobContext context, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        FrameJob sequence = job.Sequence;
        MediaInfo info = VideoProbe.Probe(sequence.Input);
        MergeRange range = Range(job, sequence, info);
        string folder = sequence.Output;
        string ext = MergeSink.Extension(sequence.Format);
        (Dictionary<long, string> files, List<long> missing, List<long> duplicate) = List(folder, ext, range);
        var corrupt = new List<(long Frame, string Why)>();
        var log = context.Loggers.CreateLogger("assemble");
        log.LogInformation("assembling frames {First}-{Last} of {Folder} into {Output}", range.First, range.Last, folder, job.Output);

        long total = range.Last - range.First + 1;
        // Read ahead on workers (PNG decoding is most of the time); frames reach the encoder in order.
        // The whole clip keeps the source's audio stream as it is; a part of it gets the audio cut from its start.
        double? audioStart = range.First == 0 && range.Last == info.FrameCount - 1 ? null : range.First / info.FrameRate;
        VideoWriter? writer = missing.Count == 0 && duplicate.Count == 0
            ? new VideoWriter(job.Output, info.Width, info.Height, info.FrameRate, info.HasAudio ? sequence.Input : null, job.Codec, job.Crf, audioStart: audioStart)
            : null;
        try
        {
            var ahead = new Queue<(long Frame, Task<ImageFrame?> Image)>();
            long next = range.First, done = 0;
            int depth = Math.Max(2, context.Workers * 2);
            while (next <= range.Last || ahead.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                while (next <= range.Last && ahead.Count < depth)
                {
                    long n = next++;
                    ahead.Enqueue((n, files.TryGetValue(n, out string? file) ? Task.Run(() => Read(file, info, corrupt, n), ct) : Task.FromResult<ImageFrame?>(null)));
                }

                (long frame, Task<ImageFrame?> read) = ahead.Dequeue();
                ImageFrame? image = await read.ConfigureAwait(false);
                if (image is not null && corrupt.Count == 0)
                {
                    writer?.Write(image);
                }

                done++;
                progress?.Report(new JobProgress("assemble", (double)done / total, $"frame {frame} ({done}/{total})", null));
            }

            if (missing.Count + duplicate.Count + corrupt.Count > 0)
            {
                throw new BadInputException(Problems(folder, range, missing, duplicate, corrupt));
            }

            await writer!.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        string audio = info.HasAudio ? " with the source's audio" : "";
        string summary = FormattableString.Invariant($"Assembled frames {range.First}-{range.Last} ({total} frames, {info.Width}x{info.Height}, {info.FrameRate:0.###} fps){audio} into {job.Output}");
        return new JobResult(job.Kind, [job.Output], [summary]);
    }

    /// <summary>The job's frames, else the merge job's, else the whole clip; always inside the clip.</summary>
    private static MergeRange Range(AssembleJob job, FrameJob sequence, MediaInfo info)
    {
        MergeRange range = job.Frames is { } f ? MergeRange.Parse(f, 0) : sequence.Frames is { } g ? MergeRange.Parse(g, 0) : new MergeRange(0, info.FrameCount - 1, 0);
        if (range.Last >= info.FrameCount)
        {
            throw new BadInputException($"frames {range.First}-{range.Last}: {sequence.Input} has {info.FrameCount} frames (0-{info.FrameCount - 1}).");
        }

        return range;
    }

    // Files named by frame number ("000123.png"); another file starting with the same number ("000123 (1).png",
    // "123.png") is a second copy of that frame.
    private static (Dictionary<long, string> Files, List<long> Missing, List<long> Duplicate) List(string folder, string ext, MergeRange range)
    {
        var files = new Dictionary<long, string>();
        var duplicate = new SortedSet<long>();
        if (!Directory.Exists(folder))
        {
            throw new BadInputException($"{folder}: no such folder; render the chunks first (dflc render --job ... --frames A-B).");
        }

        foreach (string path in Directory.EnumerateFiles(folder, "*" + ext))
        {
            Match m = FrameName().Match(Path.GetFileName(path));
            if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n < range.First || n > range.Last)
            {
                continue;
            }

            if (!files.TryAdd(n, path))
            {
                duplicate.Add(n);
            }
        }

        var missing = new List<long>();
        for (long n = range.First; n <= range.Last; n++)
        {
            if (!files.ContainsKey(n))
            {
                missing.Add(n);
            }
        }

        return (files, missing, duplicate.ToList());
    }

    private static ImageFrame? Read(string file, MediaInfo info, List<(long, string)> corrupt, long frame)
    {
        try
        {
            ImageFrame image = ImageIO.Read(file);
            if (image.Width == info.Width && image.Height == info.Height)
            {
                return image;
            }

            lock (corrupt)
            {
                corrupt.Add((frame, $"{image.Width}x{image.Height}, not the source's {info.Width}x{info.Height}"));
            }
        }
        catch (MediaException)
        {
            lock (corrupt)
            {
                corrupt.Add((frame, "unreadable (truncated or damaged)"));
            }
        }

        return null;
    }

    private static string Problems(string folder, MergeRange range, List<long> missing, List<long> duplicate, List<(long Frame, string Why)> corrupt)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"missing frame{(missing.Count == 1 ? "" : "s")} {Ranges(missing)}");
        }

        if (duplicate.Count > 0)
        {
            parts.Add($"frame{(duplicate.Count == 1 ? "" : "s")} present twice {Ranges(duplicate)}");
        }

        foreach ((long frame, string why) in corrupt.OrderBy(c => c.Frame).Take(MaxListed))
        {
            parts.Add($"frame {frame} {why}");
        }

        if (corrupt.Count > MaxListed)
        {
            parts.Add($"and {corrupt.Count - MaxListed} more bad frames");
        }

        return $"{folder} cannot be assembled (frames {range.First}-{range.Last}): {string.Join("; ", parts)}. Nothing was written; " +
            "re-render the chunks holding these frames (dflc render --job ... --frames A-B) and assemble again.";
    }

    /// <summary>Sorted frame numbers as "3, 7-9, 12" (at most <see cref="MaxListed"/> runs).</summary>
    internal static string Ranges(IReadOnlyList<long> frames)
    {
        var runs = new List<string>();
        for (int i = 0; i < frames.Count;)
        {
            int j = i;
            while (j + 1 < frames.Count && frames[j + 1] == frames[j] + 1)
            {
                j++;
            }

            runs.Add(i == j ? frames[i].ToString(CultureInfo.InvariantCulture) : FormattableString.Invariant($"{frames[i]}-{frames[j]}"));
            i = j + 1;
        }

        return runs.Count <= MaxListed ? string.Join(", ", runs) : string.Join(", ", runs.Take(MaxListed)) + $" and {runs.Count - MaxListed} more";
    }

    [GeneratedRegex(@"^(\d+)\D")]
    private static partial Regex FrameName();
}
