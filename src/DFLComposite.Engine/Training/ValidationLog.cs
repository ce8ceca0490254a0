using System.Globalization;
using System.Text;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Reports;
using OpenCvSharp;

namespace DFLComposite.Engine.Training;

/// <summary>
/// One validation: loss, reconstruction SSIM per side, the swap's identity distance to src, and the evaluator's
/// figures on the dst val faces — fraction passing the face check, median sharpness ratio, fraction verified as src —
/// with the verdict's level (NaN / empty when not measured).
/// </summary>
public readonly record struct ValidationPoint(
    long Iteration, float Loss, float SrcSsim, float DstSsim, float SwapIdentity,
    float ValidFraction = float.NaN, float Sharpness = float.NaN, float VerifiedAsSrc = float.NaN, string Quality = "");

/// <summary>
/// Validation metrics over training, kept beside the checkpoint as <c>metrics.csv</c> and drawn as
/// <c>metrics.png</c>. A resumed run drops rows after the iteration it resumed from, like the loss history.
/// </summary>
public sealed class ValidationLog
{
    public const string CsvFile = "metrics.csv";
    public const string PlotFile = "metrics.png";

    /// <summary>The quality figures over training, beside the loss plot (written once any validation measured them).</summary>
    public const string QualityPlotFile = "quality.png";
    private const string Header = "iteration,val_loss,src_ssim,dst_ssim,swap_identity_distance,valid_fraction,median_sharpness,verified_as_src,quality";
    private readonly List<ValidationPoint> _points = [];

    public IReadOnlyList<ValidationPoint> Points => _points;

    public static ValidationLog Load(string workspace, long resumedAt)
    {
        var log = new ValidationLog();
        string path = Path.Combine(workspace, CsvFile);
        if (!File.Exists(path))
        {
            return log;
        }

        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] f = line.Split(',');
            // 5 columns: written before the quality figures existed
            if (f.Length is 5 or 9 && long.TryParse(f[0], CultureInfo.InvariantCulture, out long it) && it <= resumedAt)
            {
                float P(int i) => i < f.Length && float.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : float.NaN;
                log._points.Add(new ValidationPoint(it, P(1), P(2), P(3), P(4), P(5), P(6), P(7), f.Length > 8 ? f[8] : ""));
            }
        }

        return log;
    }

    public void Add(ValidationPoint point) => _points.Add(point);

    public void Save(string workspace)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (ValidationPoint p in _points)
        {
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{p.Iteration},{p.Loss:G6},{p.SrcSsim:G6},{p.DstSsim:G6},{p.SwapIdentity:G6},{p.ValidFraction:G6},{p.Sharpness:G6},{p.VerifiedAsSrc:G6},{p.Quality}\n"));
        }

        AtomicFile.WriteAllText(Path.Combine(workspace, CsvFile), csv.ToString());
        var series = new List<PlotSeries>
        {
            new("src SSIM", _points.Select(p => ((double)p.Iteration, (double)p.SrcSsim)).ToList(), new Scalar(200, 110, 30)),
            new("dst SSIM", _points.Select(p => ((double)p.Iteration, (double)p.DstSsim)).ToList(), new Scalar(30, 130, 240)),
        };
        if (_points.Any(p => float.IsFinite(p.SwapIdentity)))
        {
            series.Add(new("swap identity distance to src", _points.Select(p => ((double)p.Iteration, (double)p.SwapIdentity)).ToList(), new Scalar(40, 160, 40)));
        }

        LinePlot.Write(Path.Combine(workspace, PlotFile), "validation (held-out faces)", "iteration", series, yMin: 0);
        if (_points.Any(p => float.IsFinite(p.ValidFraction)))
        {
            LinePlot.Write(Path.Combine(workspace, QualityPlotFile), "swap quality on the dst val faces (as dflc evaluate judges it)", "iteration",
            [
                new("found as a face (fraction)", _points.Select(p => ((double)p.Iteration, (double)p.ValidFraction)).ToList(), new Scalar(40, 160, 40)),
                new("median sharpness (dst = 1)", _points.Select(p => ((double)p.Iteration, (double)p.Sharpness)).ToList(), new Scalar(180, 60, 160)),
                new("verified as src (fraction of valid)", _points.Select(p => ((double)p.Iteration, (double)p.VerifiedAsSrc)).ToList(), new Scalar(200, 110, 30)),
            ], yMin: 0);
        }
    }
}
