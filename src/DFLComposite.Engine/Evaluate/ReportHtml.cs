using System.Globalization;
using System.Net;
using System.Text;

namespace DFLComposite.Engine.Evaluate;

/// <summary>The <c>index.html</c> of an evaluation: the verdict first, then the figures it rests on, then the detail.</summary>
internal static class ReportHtml
{
    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double v) => (v * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture); // dots, on any locale

    public static string Page(EvaluationReport r, List<string> plots, IReadOnlyDictionary<long, string> thumbs)
    {
        var h = new StringBuilder();
        h.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>DFLComposite evaluation</title><style>")
         .Append("body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{text-align:left;background:#f4f4f4}img{max-width:100%}")
         .Append(".verdict{font-size:1.3em;padding:.6em 1em;border-radius:6px}.not-a-face{background:#fde2e1}.face{background:#fff3cd}.holds{background:#dff3e0}")
         .Append("</style></head><body>");
        QualityVerdict v = r.Verdict;
        h.Append($"<p class=\"verdict {E(v.Level)}\" id=\"verdict\"><b>{E(v.Summary)}</b> — {E(v.Reason)}. {E(v.Advice)}</p>");
        h.Append($"<h1>Swap evaluation</h1><p>Model <code>{E(r.Model)}</code> at iteration {r.Iteration}; src <code>{E(r.Src)}</code>; dst <code>{E(r.Dst)}</code>; {r.FramesEvaluated} frames evaluated");
        h.Append(r.FramesWithoutSwappedFace > 0 ? $", {r.FramesWithoutSwappedFace} without a swapped face the extractor would take.</p>" : ".</p>");
        Quality(h, r);
        Reconstruction(h, r);
        Detail(h, r);
        foreach (string p in plots)
        {
            h.Append($"<p><img src=\"{p}\" alt=\"{p}\"></p>");
        }

        Thumbs(h, r, "Not found as a face (before | after)", r.Worst.NotAFace, thumbs, f => f.Validity?.Failure ?? "");
        Thumbs(h, r, "Least sharp (before | after)", r.Worst.Blurred, thumbs, f => Inv($"sharpness {f.Sharpness:0.00}"));
        Thumbs(h, r, "Least like the src person (before | after)", r.Worst.NotSrc, thumbs, f => Inv($"to src {f.SrcDistance:0.000}"));
        return h.Append("</body></html>").ToString();
    }

    private static void Quality(StringBuilder h, EvaluationReport r)
    {
        QualityFigures q = r.Quality;
        QualityThresholds t = r.Verdict.Thresholds;
        h.Append("<h2>Is it a face, is it src?</h2><table><tr><th>figure</th><th>value</th><th>needed</th></tr>")
         .Append($"<tr><th>swapped frames found as a face (detector, face mesh, 68 points within {F(t.MaxLandmarkError)} eye distances of the dst's)</th><td>{P(q.ValidFraction)}</td><td>≥ {P(t.MinValidFraction)}</td></tr>")
         .Append($"<tr><th>median sharpness, swapped / dst high-frequency energy in the aligned face (dst = 1)</th><td>{(q.MedianSharpness is { } m ? F(m) : "–")}</td><td>≥ {F(t.MinSharpness)}</td></tr>")
         .Append($"<tr><th>frames at least that sharp</th><td>{P(q.SharpFraction)}</td><td></td></tr>")
         .Append($"<tr><th>valid frames verified as src (distance &lt; {F(t.IdentityThreshold)})</th><td>{P(q.VerifiedAsSrc)}</td><td></td></tr>")
         .Append($"<tr><th>valid frames still verified as dst</th><td>{P(q.VerifiedAsDst)}</td><td></td></tr>")
         .Append($"<tr><th>original dst face verified as src (baseline)</th><td>{P(q.OriginalVerifiedAsSrc)}</td><td></td></tr>")
         .Append($"<tr><th>original dst face → src distance (baseline)</th><td>{(q.OriginalToSrc is { } o ? F(o) : "–")}</td><td></td></tr>")
         .Append($"<tr><th>frames where the swap holds (valid, sharp, src, not dst)</th><td>{P(q.HoldsFraction)}</td><td>≥ {P(t.MinSrcVerified)}</td></tr></table>");
    }

    private static void Reconstruction(StringBuilder h, EvaluationReport r)
    {
        h.Append("<h2>Reconstruction</h2><table><tr><th>side</th><th>faces</th><th>held out</th><th>SSIM</th><th>PSNR (dB)</th></tr>");
        foreach (ReconstructionMetrics m in r.Reconstruction)
        {
            h.Append(Inv($"<tr><th>{m.Side} → {m.Side}</th><td>{m.Faces}</td><td>{(m.HeldOut ? "yes" : "no")}</td><td>{F(m.Ssim)}</td><td>{m.Psnr:0.0}</td></tr>"));
        }

        h.Append("</table>");
    }

    private static void Detail(StringBuilder h, EvaluationReport r)
    {
        if (r.Identity is { } id)
        {
            h.Append("<h2>Identity (means over all frames)</h2><p>Descriptor distance; below ").Append(F(id.Threshold)).Append(" is the same person. A blob's descriptor is near everyone's, so read these beside the face check above.</p><table>")
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
    }

    private static void Thumbs(StringBuilder h, EvaluationReport r, string title, IReadOnlyList<long> frames, IReadOnlyDictionary<long, string> thumbs, Func<FrameMetrics, string> caption)
    {
        var shown = frames.Where(thumbs.ContainsKey).ToList();
        if (shown.Count == 0)
        {
            return;
        }

        var rows = r.Frames.GroupBy(f => f.Frame).ToDictionary(g => g.Key, g => g.First());
        h.Append($"<h2>{E(title)}</h2>");
        foreach (long frame in shown)
        {
            string why = rows.TryGetValue(frame, out FrameMetrics? m) ? caption(m) : "";
            h.Append($"<figure style=\"display:inline-block\"><img src=\"{thumbs[frame]}\" width=\"384\"><figcaption>frame {frame}: {E(why)}</figcaption></figure>");
        }
    }
}
