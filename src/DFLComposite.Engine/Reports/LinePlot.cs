using DFLComposite.Engine.IO;
using OpenCvSharp;

namespace DFLComposite.Engine.Reports;

/// <summary>One named series of (x, y) points and its colour (BGR).</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points, Scalar Colour, bool Dots = false);

/// <summary>
/// A small line chart drawn with OpenCV (no plotting library on a render node): axes with five labelled grid lines,
/// one polyline (or dots) per series, a legend, written as PNG atomically.
/// </summary>
public static class LinePlot
{
    public static void Write(string path, string title, string xLabel, IReadOnlyList<PlotSeries> series, double? yMin = null, double? yMax = null)
    {
        const int w = 900, h = 400, left = 70, right = 20, top = 36, bottom = 50;
        using var img = new Mat(h, w, MatType.CV_8UC3, Scalar.All(255));
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToArray();
        Cv2.PutText(img, title, new Point(left, 24), HersheyFonts.HersheySimplex, 0.6, Scalar.All(0), 1, LineTypes.AntiAlias);
        if (all.Length > 0)
        {
            double x0 = all.Min(p => p.X), x1 = Math.Max(x0 + 1e-9, all.Max(p => p.X));
            double y0 = yMin ?? all.Min(p => p.Y), y1 = yMax ?? all.Max(p => p.Y);
            if (y1 - y0 < 1e-9)
            {
                (y0, y1) = (y0 - 0.5, y1 + 0.5);
            }

            Point P(double x, double y) => new(left + (int)((w - left - right) * (x - x0) / (x1 - x0)), top + (int)((h - top - bottom) * (y1 - y) / (y1 - y0)));
            Cv2.Rectangle(img, new Rect(left, top, w - left - right, h - top - bottom), Scalar.All(0));
            for (int k = 0; k <= 4; k++)
            {
                double v = y0 + ((y1 - y0) * k / 4);
                Point y = P(x0, v);
                Cv2.Line(img, new Point(left - 5, y.Y), new Point(w - right, y.Y), Scalar.All(225));
                Cv2.PutText(img, v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), new Point(5, y.Y + 4), HersheyFonts.HersheySimplex, 0.4, Scalar.All(0));
            }

            string xRange = FormattableString.Invariant($"{xLabel} ({x0:G4} - {x1:G4})");
            Cv2.PutText(img, xRange, new Point((w / 2) - 80, h - 15), HersheyFonts.HersheySimplex, 0.5, Scalar.All(0));
            int legend = w - right - 10;
            foreach (PlotSeries s in series.Reverse())
            {
                Point[] pts = s.Points.Where(p => double.IsFinite(p.Y)).Select(p => P(p.X, p.Y)).ToArray();
                if (s.Dots || pts.Length == 1)
                {
                    foreach (Point p in pts)
                    {
                        Cv2.Circle(img, p, 3, s.Colour, -1, LineTypes.AntiAlias);
                    }
                }
                else if (pts.Length > 1)
                {
                    Cv2.Polylines(img, [pts], false, s.Colour, 1, LineTypes.AntiAlias);
                }

                legend -= (s.Name.Length * 9) + 16;
                Cv2.PutText(img, s.Name, new Point(legend, top + 18), HersheyFonts.HersheySimplex, 0.5, s.Colour, 1, LineTypes.AntiAlias);
            }
        }

        Cv2.ImEncode(".png", img, out byte[] png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
