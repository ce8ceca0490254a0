using DFLComposite.Engine.IO;
using DFLComposite.Engine.Torch;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>Pictures of training: the preview grid and the loss plot, both PNG, written atomically.</summary>
public static class TrainingReport
{
    /// <summary>
    /// Rows of faces; columns: src, src->src, dst, dst->dst, dst->src (DeepFaceLab's preview layout).
    /// </summary>
    public static void WritePreview(string path, SwapNetwork network, Tensor src, Tensor dst)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        Tensor srcRec = network.Reconstruct(src, FaceSide.Src).Image;
        Tensor dstRec = network.Reconstruct(dst, FaceSide.Dst).Image;
        Tensor swap = network.Swap(dst).Image;
        network.train();
        long rows = Math.Min(src.shape[0], dst.shape[0]);
        Tensor[] columns = [src[..(int)rows], srcRec[..(int)rows], dst[..(int)rows], dstRec[..(int)rows], swap[..(int)rows]];
        Tensor grid = cat(columns.Select(c => cat(Enumerable.Range(0, (int)rows).Select(i => c[i]).ToArray(), 1)).ToArray(), 2); // 3 x (rows*H) x (5*W)
        Tensor hwc = (grid.permute(1, 2, 0).contiguous() * Scalars.S(255)).clamp(Scalars.S(0), Scalars.S(255)).to(ScalarType.Byte);
        byte[] pixels = hwc.data<byte>().ToArray();
        using Mat image = Mat.FromPixelData((int)hwc.shape[0], (int)hwc.shape[1], MatType.CV_8UC3, pixels);
        Cv2.ImEncode(".png", image, out byte[] png);
        AtomicFile.WriteAllBytes(path, png);
    }

    /// <summary>Loss over iterations: src (blue), dst (orange), validation (green dots), log scale.</summary>
    /// <param name="srcLabel">Legend of the first series (XSeg has one loss, kept in Src).</param>
    public static void WriteLossPlot(string path, LossHistory history, string srcLabel = "src")
    {
        const int w = 900, h = 420, left = 70, right = 20, top = 20, bottom = 50;
        using var img = new Mat(h, w, MatType.CV_8UC3, Scalar.All(255));
        var pts = history.Points;
        if (pts.Count > 0)
        {
            double maxIt = Math.Max(1, pts[^1].Iteration);
            var values = pts.SelectMany(p => new[] { p.Src, p.Dst, p.Val }).Where(v => v > 0 && float.IsFinite(v)).ToArray();
            double lo = Math.Log10(values.Min()), hi = Math.Log10(values.Max());
            if (hi - lo < 0.1)
            {
                (lo, hi) = (lo - 0.05, hi + 0.05);
            }

            Point P(double it, double v) => new(left + (int)((w - left - right) * it / maxIt), top + (int)((h - top - bottom) * (hi - Math.Log10(v)) / (hi - lo)));
            Cv2.Rectangle(img, new Rect(left, top, w - left - right, h - top - bottom), Scalar.All(0));
            for (int k = 0; k <= 4; k++)
            {
                double v = Math.Pow(10, lo + ((hi - lo) * k / 4));
                Point y = P(0, v);
                Cv2.Line(img, new Point(left - 5, y.Y), new Point(w - right, y.Y), Scalar.All(225));
                Cv2.PutText(img, v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), new Point(5, y.Y + 4), HersheyFonts.HersheySimplex, 0.4, Scalar.All(0));
            }

            Cv2.PutText(img, $"iteration (0 - {maxIt:F0})", new Point(w / 2 - 80, h - 15), HersheyFonts.HersheySimplex, 0.5, Scalar.All(0));
            Curve(img, pts.Where(p => p.Src > 0).Select(p => P(p.Iteration, p.Src)).ToArray(), new Scalar(200, 110, 30));
            Curve(img, pts.Where(p => p.Dst > 0).Select(p => P(p.Iteration, p.Dst)).ToArray(), new Scalar(30, 130, 240));
            foreach (LossPoint p in pts.Where(p => p.Val > 0 && float.IsFinite(p.Val)))
            {
                Cv2.Circle(img, P(p.Iteration, p.Val), 3, new Scalar(40, 160, 40), -1);
            }

            // a legend entry only for the series drawn
            var legend = new List<(string, Scalar)> { (srcLabel, new Scalar(200, 110, 30)) };
            if (pts.Any(p => p.Dst > 0))
            {
                legend.Add(("dst", new Scalar(30, 130, 240)));
            }

            if (pts.Any(p => p.Val > 0 && float.IsFinite(p.Val)))
            {
                legend.Add(("val", new Scalar(40, 160, 40)));
            }

            int x = w - right - 10 - (legend.Sum(e => (e.Item1.Length * 9) + 12));
            foreach ((string label, Scalar colour) in legend)
            {
                Cv2.PutText(img, label, new Point(x, top + 20), HersheyFonts.HersheySimplex, 0.5, colour);
                x += (label.Length * 9) + 12;
            }
        }

        Cv2.ImEncode(".png", img, out byte[] png);
        AtomicFile.WriteAllBytes(path, png);
    }

    private static void Curve(Mat img, Point[] points, Scalar colour)
    {
        if (points.Length > 1)
        {
            Cv2.Polylines(img, [points], false, colour, 1, LineTypes.AntiAlias);
        }
    }
}
