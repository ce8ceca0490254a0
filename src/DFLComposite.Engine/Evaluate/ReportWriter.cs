using System.Text.Json;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Reports;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// Writes an evaluation as <c>report.json</c> and <c>index.html</c> (self-contained: plots and worst-frame thumbnails as
/// PNG files beside it, no scripts or external resources), so a user can open it from a render node's share.
/// </summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string HtmlFile = "index.html";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(EvaluationReport report, string folder, FaceFinder? finder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(report, Json));
        var plots = new List<string>();
        if (report.Frames.Count > 0)
        {
            var frames = report.Frames;
            LinePlot.Write(Path.Combine(folder, "identity.png"), "identity distance (lower = more alike)", "frame",
            [
                new PlotSeries("to src", frames.Select(f => ((double)f.Frame, f.SrcDistance)).ToList(), new Scalar(200, 110, 30)),
                new PlotSeries("to dst", frames.Select(f => ((double)f.Frame, f.DstDistance)).ToList(), new Scalar(30, 130, 240)),
                new PlotSeries("same-person threshold", frames.Select(f => ((double)f.Frame, report.Identity?.Threshold ?? 0)).ToList(), Scalar.All(150)),
            ]);
            plots.Add("identity.png");
            if (frames.Any(f => f.Sharpness is not null))
            {
                LinePlot.Write(Path.Combine(folder, "quality.png"), "sharpness of the swapped face vs the dst's (1 = as detailed)", "frame",
                [
                    new PlotSeries("sharpness", frames.Select(f => ((double)f.Frame, f.Sharpness ?? double.NaN)).ToList(), new Scalar(180, 60, 160)),
                    new PlotSeries("min for a sharp frame", frames.Select(f => ((double)f.Frame, report.Verdict.Thresholds.MinSharpness)).ToList(), Scalar.All(150)),
                    new PlotSeries("face check passed (1) / failed (0)", frames.Select(f => ((double)f.Frame, f.Validity is null ? double.NaN : f.Validity.Valid ? 1.0 : 0.0)).ToList(), new Scalar(40, 160, 40)),
                ], yMin: 0);
                plots.Add("quality.png");
            }

            if (frames.Any(f => f.LandmarkError is not null))
            {
                LinePlot.Write(Path.Combine(folder, "fidelity.png"), "landmark error of the swapped face vs the dst (fraction of eye distance)", "frame",
                    [new PlotSeries("68-point error", frames.Select(f => ((double)f.Frame, f.LandmarkError ?? double.NaN)).ToList(), new Scalar(40, 160, 40))], yMin: 0);
                plots.Add("fidelity.png");
            }
        }

        var thumbs = new Dictionary<long, string>();
        if (finder is not null)
        {
            thumbs = await WorstFramesAsync(report, folder, finder, ct).ConfigureAwait(false);
        }

        AtomicFile.WriteAllText(Path.Combine(folder, HtmlFile), ReportHtml.Page(report, plots, thumbs));
    }

    // Before | after crops around the face of each worst frame, from the dst video and the merged video.
    private static async Task<Dictionary<long, string>> WorstFramesAsync(EvaluationReport report, string folder, FaceFinder finder, CancellationToken ct)
    {
        var wanted = report.Worst.All.ToHashSet();
        var written = new Dictionary<long, string>();
        string? merged = report.Merged;
        if (merged is null || !File.Exists(merged) || wanted.Count == 0)
        {
            return written;
        }

        await using var a = VideoReader.ReadFrames(report.Dst, cancellationToken: ct).GetAsyncEnumerator(ct);
        await using var b = VideoReader.ReadFrames(merged, cancellationToken: ct).GetAsyncEnumerator(ct);
        while (wanted.Count > 0 && await a.MoveNextAsync().ConfigureAwait(false) && await b.MoveNextAsync().ConfigureAwait(false))
        {
            long index = a.Current.Index;
            if (!wanted.Remove(index))
            {
                continue;
            }

            var face = finder.Find(a.Current.Frame).OrderByDescending(f => f.Face.Box.Area).FirstOrDefault();
            if (face.Landmarks is null)
            {
                continue;
            }

            using Mat before = Crop(a.Current.Frame, face.Face.Box), after = Crop(b.Current.Frame, face.Face.Box);
            using var pair = new Mat();
            Cv2.HConcat([before, after], pair);
            string file = $"worst-{index:D6}.png";
            Cv2.ImEncode(".png", pair, out byte[] png);
            AtomicFile.WriteAllBytes(Path.Combine(folder, file), png);
            written[index] = file;
        }

        return written;
    }

    private static Mat Crop(ImageFrame frame, RectF box)
    {
        using Mat view = frame.AsMat();
        float side = Math.Max(box.Width, box.Height) * 1.6f;
        int x = (int)Math.Clamp(box.Center.X - (side / 2), 0, frame.Width - 1), y = (int)Math.Clamp(box.Center.Y - (side / 2), 0, frame.Height - 1);
        int s = (int)Math.Min(side, Math.Min(frame.Width - x, frame.Height - y));
        using var roi = new Mat(view, new Rect(x, y, s, s));
        var thumb = new Mat();
        Cv2.Resize(roi, thumb, new Size(256, 256), interpolation: InterpolationFlags.Area);
        return thumb;
    }
}
