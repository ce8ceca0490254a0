using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>
/// rct — Reinhard et al. 2001: in L*a*b*, shift and scale each channel of the source so its mean and standard
/// deviation inside the face mask equal the target's. DeepFaceLab's default colour transfer.
/// </summary>
[PluginExport(typeof(IColorTransfer), "rct", "1.0", "Reinhard colour transfer: match Lab mean and std inside the mask")]
public sealed class ReinhardColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask)
    {
        float[] s = Lab.FromBgr(source.Pixels), t = Lab.FromBgr(target.Pixels);
        (double[] sMean, double[] sStd) = Stats(s, mask.Pixels);
        (double[] tMean, double[] tStd) = Stats(t, mask.Pixels);
        for (int i = 0; i < s.Length; i++)
        {
            int c = i % 3;
            s[i] = (float)(((s[i] - sMean[c]) * (tStd[c] / Math.Max(sStd[c], 1e-6))) + tMean[c]);
        }

        return new FaceImage(source.Width, source.Height, 3, Lab.ToBgr(s));
    }

    private static (double[] Mean, double[] Std) Stats(float[] lab, float[] mask)
    {
        double[] sum = new double[3], sq = new double[3];
        long n = 0;
        for (int p = 0; p < mask.Length; p++)
        {
            if (mask[p] <= 0.5f)
            {
                continue;
            }

            n++;
            for (int c = 0; c < 3; c++)
            {
                double v = lab[(p * 3) + c];
                sum[c] += v;
                sq[c] += v * v;
            }
        }

        n = Math.Max(1, n);
        double[] mean = sum.Select(x => x / n).ToArray();
        double[] std = Enumerable.Range(0, 3).Select(c => Math.Sqrt(Math.Max(0, (sq[c] / n) - (mean[c] * mean[c])))).ToArray();
        return (mean, std);
    }
}
