using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>Mean and 3x3 covariance of BGR pixels (inside a mask, or everywhere), and small symmetric-matrix algebra.</summary>
internal static class ColorStats
{
    /// <summary>Pixels where the mask is above 0.5 (or all pixels when <paramref name="mask"/> is null), as rows of 3.</summary>
    public static double[][] Pixels(FaceImage image, FaceImage? mask)
    {
        var rows = new List<double[]>(image.Width * image.Height);
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            if (mask is null || mask.Pixels[p] > 0.5f)
            {
                rows.Add([image.Pixels[p * 3], image.Pixels[(p * 3) + 1], image.Pixels[(p * 3) + 2]]);
            }
        }

        return rows.Count > 0 ? [.. rows] : Pixels(image, null);
    }

    public static (double[] Mean, double[,] Cov) MeanCov(double[][] px)
    {
        var mean = new double[3];
        foreach (double[] p in px)
        {
            for (int c = 0; c < 3; c++)
            {
                mean[c] += p[c] / px.Length;
            }
        }

        var cov = new double[3, 3];
        foreach (double[] p in px)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    cov[i, j] += (p[i] - mean[i]) * (p[j] - mean[j]) / px.Length;
                }
            }
        }

        for (int i = 0; i < 3; i++)
        {
            cov[i, i] += 1e-6; // flat regions must not make the matrix singular
        }

        return (mean, cov);
    }

    /// <summary>f(A) for symmetric A = Q diag(l) Q^T: Q diag(f(l)) Q^T (Jacobi eigen-decomposition).</summary>
    public static double[,] Apply(double[,] a, Func<double, double> f)
    {
        (double[] l, double[,] q) = Eigen(a);
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    r[i, j] += q[i, k] * f(Math.Max(l[k], 1e-12)) * q[j, k];
                }
            }
        }

        return r;
    }

    public static double[,] Mul(double[,] a, double[,] b)
    {
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    r[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return r;
    }

    /// <summary>x -> T (x - ms) + mt on every pixel of the image.</summary>
    public static FaceImage Affine(FaceImage image, double[,] t, double[] ms, double[] mt)
    {
        var output = new float[image.Pixels.Length];
        for (int p = 0; p < image.Pixels.Length; p += 3)
        {
            for (int i = 0; i < 3; i++)
            {
                double v = mt[i];
                for (int k = 0; k < 3; k++)
                {
                    v += t[i, k] * (image.Pixels[p + k] - ms[k]);
                }

                output[p + i] = (float)Math.Clamp(v, 0, 1);
            }
        }

        return new FaceImage(image.Width, image.Height, 3, output);
    }

    private static (double[] Values, double[,] Vectors) Eigen(double[,] m)
    {
        var a = (double[,])m.Clone();
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = Math.Abs(a[0, 1]) + Math.Abs(a[0, 2]) + Math.Abs(a[1, 2]);
            if (off < 1e-15)
            {
                break;
            }

            for (int p = 0; p < 2; p++)
            {
                for (int q = p + 1; q < 3; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-18)
                    {
                        continue;
                    }

                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < 3; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < 3; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        return ([a[0, 0], a[1, 1], a[2, 2]], v);
    }
}
