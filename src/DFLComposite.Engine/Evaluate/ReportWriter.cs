using System.Globalization;
using System.Net;
using System.Text;
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
            if (frames.Any(f => f.LandmarkError is not null))
            {
                LinePlot.Write(Path.Combine(folder, "fidelity.png"), "landmark error of the swapped face vs the dst (fraction of eye distance)", "frame",
                    [new PlotSeries("68-point error", frames.Select(f => ((double)f.Frame, f.LandmarkError ?? double.NaN)).ToList(), new Scalar(40, 160, 40))], yMin: 0);
                plots.Add("fidelity.png");
            }
        }

        var thumbs = new List<(long Frame, string File)>();
        if (report.Fidelity is not null && finder is not null)
        {
            thumbs = await WorstFramesAsync(report, folder, finder, ct).ConfigureAwait(false);
        }

        AtomicFile.WriteAllText(Path.Combine(folder, HtmlFile), Html(report, plots, thumbs));
    }

    // Before | after crops around the face of each worst frame, from the dst video and the merged video.
    private static async Task<List<(long, string)>> WorstFramesAsync(EvaluationReport report, string folder, FaceFinder finder, CancellationToken ct)
    {
        var wanted = report.WorstFrames.ToHashSet();
        var written = new List<(long, string)>();
        string merged = Path.Combine(folder, "merged.mp4");
        if (!File.Exists(merged) || wanted.Count == 0)
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
            written.Add((index, file));
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

    private static string Html(EvaluationReport r, List<string> plots, List<(long Frame, string File)> thumbs)
    {
        static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture); // dots, on any locale
        var h = new StringBuilder();
        h.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>DFLComposite evaluation</title><style>")
         .Append("body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{text-align:left;background:#f4f4f4}img{max-width:100%}")
         .Append("</style></head><body>");
        h.Append($"<h1>Swap evaluation</h1><p>Model <code>{E(r.Model)}</code> at iteration {r.Iteration}; src <code>{E(r.Src)}</code>; dst <code>{E(r.Dst)}</code>; {r.FramesEvaluated} frames evaluated");
        h.Append(r.FramesWithoutSwappedFace > 0 ? $", {r.FramesWithoutSwappedFace} without a detectable swapped face.</p>" : ".</p>");
        h.Append("<h2>Reconstruction</h2><table><tr><th>side</th><th>faces</th><th>held out</th><th>SSIM</th><th>PSNR (dB)</th></tr>");
        foreach (ReconstructionMetrics m in r.Reconstruction)
        {
            h.Append(Inv($"<tr><th>{m.Side} → {m.Side}</th><td>{m.Faces}</td><td>{(m.HeldOut ? "yes" : "no")}</td><td>{F(m.Ssim)}</td><td>{m.Psnr:0.0}</td></tr>"));
        }

        h.Append("</table>");
        if (r.Identity is { } id)
        {
            h.Append("<h2>Identity</h2><p>Descriptor distance; below ").Append(F(id.Threshold)).Append(" is the same person.</p><table>")
             .Append($"<tr><th>swapped face → src person</th><td>{F(id.SwappedToSrc)}</td></tr>")
             .Append($"<tr><th>swapped face → dst face it replaced</th><td>{F(id.SwappedToDst)}</td></tr>")
             .Append($"<tr><th>original dst face → src person (baseline)</th><td>{F(id.OriginalToSrc)}</td></tr>")
             .Append(Inv($"<tr><th>frames closer to src than to dst</th><td>{id.FractionCloserToSrc * 100:0}%</td></tr></table>"));
        }

        if (r.Fidelity is { } fi)
        {
            h.Append("<h2>Expression and pose kept from the dst</h2><table>")
             .Append($"<tr><th>68-point error (fraction of eye distance)</th><td>{F(fi.LandmarkError)}</td></tr>")
             .Append(Inv($"<tr><th>yaw difference (degrees)</th><td>{fi.YawDifference:0.0}</td></tr><tr><th>pitch difference (degrees)</th><td>{fi.PitchDifference:0.0}</td></tr></table>"));
        }

        if (r.Temporal is { } t)
        {
            h.Append("<h2>Temporal stability</h2><table><tr><th></th><th>swapped</th><th>dst</th></tr>")
             .Append(Inv($"<tr><th>landmark jitter (eye distances)</th><td>{t.SwappedJitter:0.0000}</td><td>{t.DstJitter:0.0000}</td></tr>"))
             .Append(Inv($"<tr><th>face flicker (levels)</th><td>{t.SwappedFlicker:0.00}</td><td>{t.DstFlicker:0.00}</td></tr></table>"));
        }

        foreach (string p in plots)
        {
            h.Append($"<p><img src=\"{p}\" alt=\"{p}\"></p>");
        }

        if (thumbs.Count > 0)
        {
            h.Append("<h2>Least like the src person (before | after)</h2>");
            foreach ((long frame, string file) in thumbs)
            {
                h.Append($"<figure style=\"display:inline-block\"><img src=\"{file}\" width=\"384\"><figcaption>frame {frame}</figcaption></figure>");
            }
        }

        return h.Append("</body></html>").ToString();
    }
}
