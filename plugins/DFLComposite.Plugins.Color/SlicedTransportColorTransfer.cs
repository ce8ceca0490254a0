using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>
/// idt / sot — non-linear transfers that match the whole colour distribution, not only its first two moments:
/// repeatedly project source and target colours on a direction, match the sorted 1-D projections (1-D optimal
/// transport, which is histogram matching) and move the source along it. idt uses the axes of a random rotation per
/// iteration (Pitié's iterative distribution transfer), sot random directions (sliced optimal transport).
/// Deterministic: a fixed seed.
/// </summary>
internal static class SlicedTransport
{
    public static FaceImage Apply(FaceImage source, FaceImage target, FaceImage? mask, int iterations, bool rotations, double step)
    {
        double[][] src = ColorStats.Pixels(source, null);
        bool[] inside = Enumerable.Range(0, src.Length).Select(p => mask is null || mask.Pixels[p] > 0.5f).ToArray();
        if (!inside.Any(x => x))
        {
            Array.Fill(inside, true);
        }

        double[][] tgt = ColorStats.Pixels(target, mask);
        var rng = new Random(7);
        for (int it = 0; it < iterations; it++)
        {
            foreach (double[] d in Directions(rng, rotations))
            {
                double[] ps = src.Where((_, i) => inside[i]).Select(p => Dot(p, d)).ToArray();
                double[] pt = tgt.Select(p => Dot(p, d)).Order().ToArray();
                double[] sortedS = ps.Order().ToArray();
                // Map every source pixel (inside or not) through the 1-D transport of the masked samples.
                for (int i = 0; i < src.Length; i++)
                {
                    double v = Dot(src[i], d);
                    int rank = LowerBound(sortedS, v);
                    double q = pt[(int)Math.Min(pt.Length - 1, (long)rank * pt.Length / Math.Max(1, sortedS.Length))];
                    double move = (q - v) * step;
                    for (int c = 0; c < 3; c++)
                    {
                        src[i][c] += move * d[c];
                    }
                }
            }
        }

        float[] output = src.SelectMany(p => p.Select(v => (float)Math.Clamp(v, 0, 1))).ToArray();
        return new FaceImage(source.Width, source.Height, 3, output);
    }

    private static IEnumerable<double[]> Directions(Random rng, bool rotation)
    {
        if (!rotation)
        {
            double[] d = [Gauss(rng), Gauss(rng), Gauss(rng)];
            double n = Math.Sqrt(Dot(d, d));
            yield return [d[0] / n, d[1] / n, d[2] / n];
            yield break;
        }

        // an orthonormal basis from a random rotation (Gram-Schmidt of three random vectors)
        var basis = new List<double[]>();
        while (basis.Count < 3)
        {
            double[] v = [Gauss(rng), Gauss(rng), Gauss(rng)];
            foreach (double[] b in basis)
            {
                double k = Dot(v, b);
                for (int c = 0; c < 3; c++)
                {
                    v[c] -= k * b[c];
                }
            }

            double n = Math.Sqrt(Dot(v, v));
            if (n > 1e-6)
            {
                basis.Add([v[0] / n, v[1] / n, v[2] / n]);
            }
        }

        foreach (double[] b in basis)
        {
            yield return b;
        }
    }

    private static int LowerBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double Dot(double[] a, double[] b) => (a[0] * b[0]) + (a[1] * b[1]) + (a[2] * b[2]);

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

/// <summary>idt — iterative distribution transfer over the whole face square.</summary>
[PluginExport(typeof(IColorTransfer), "idt", "1.0", "Iterative distribution transfer (whole face square)")]
public sealed class IdtColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask) => SlicedTransport.Apply(source, target, null, 10, rotations: true, step: 1.0);
}

/// <summary>idt-m — iterative distribution transfer with statistics inside the face mask.</summary>
[PluginExport(typeof(IColorTransfer), "idt-m", "1.0", "Iterative distribution transfer, statistics inside the mask")]
public sealed class IdtMaskedColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask) => SlicedTransport.Apply(source, target, mask, 10, rotations: true, step: 1.0);
}

/// <summary>sot-m — sliced optimal transport with statistics inside the face mask.</summary>
[PluginExport(typeof(IColorTransfer), "sot-m", "1.0", "Sliced optimal transport colour transfer, statistics inside the mask")]
public sealed class SotMaskedColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask) => SlicedTransport.Apply(source, target, mask, 30, rotations: false, step: 1.0);
}
