using System.Globalization;
using System.Text;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Reports;
using OpenCvSharp;

namespace DFLComposite.Engine.Training;

/// <summary>One validation: loss, reconstruction SSIM per side, and the swap's identity distance to src (NaN when not measured).</summary>
public readonly record struct ValidationPoint(long Iteration, float Loss, float SrcSsim, float DstSsim, float SwapIdentity);

/// <summary>
/// Validation metrics over training, kept beside the checkpoint as <c>metrics.csv</c> and drawn as
/// <c>metrics.png</c>. A resumed run drops rows after the iteration it resumed from, like the loss history.
/// </summary>
public sealed class ValidationLog
{
    public const string CsvFile = "metrics.csv";
    public const string PlotFile = "metrics.png";
    private const string Header = "iteration,val_loss,src_ssim,dst_ssim,swap_identity_distance";
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
            if (f.Length == 5 && long.TryParse(f[0], CultureInfo.InvariantCulture, out long it) && it <= resumedAt)
            {
                float P(int i) => float.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : float.NaN;
                log._points.Add(new ValidationPoint(it, P(1), P(2), P(3), P(4)));
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
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{p.Iteration},{p.Loss:G6},{p.SrcSsim:G6},{p.DstSsim:G6},{p.SwapIdentity:G6}\n"));
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
    }
}
