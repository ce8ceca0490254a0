using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>
/// mix-m — lightness and colour transferred separately, as DeepFaceLab's mix-m: L* by a mean/std match inside the
/// mask (keeps the prediction's shading contrast), chroma by sliced optimal transport of the two faces rendered at
/// one constant lightness (so the transport sees hue and saturation only), then the two are recombined in L*a*b*.
/// </summary>
[PluginExport(typeof(IColorTransfer), "mix-m", "1.0", "Lightness by mean/std match + chroma by sliced optimal transport, inside the mask")]
public sealed class MixColorTransfer : IColorTransfer
{
    // DFL's value: L* = 100 / 255 * 255 in OpenCV's 8-bit Lab, i.e. about 39 in true L*.
    private const float ConstantLightness = 39.2f;

    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask)
    {
        float[] s = Lab.FromBgr(source.Pixels), t = Lab.FromBgr(target.Pixels);
        float[] lightness = MatchLightness(s, t, mask.Pixels);

        FaceImage flatSource = new(source.Width, source.Height, 3, Lab.ToBgr(WithLightness(s, ConstantLightness)));
        FaceImage flatTarget = new(target.Width, target.Height, 3, Lab.ToBgr(WithLightness(t, ConstantLightness)));
        FaceImage chroma = SlicedTransport.Apply(flatSource, flatTarget, mask, 30, rotations: false, step: 1.0);

        float[] result = Lab.FromBgr(chroma.Pixels);
        for (int p = 0; p < lightness.Length; p++)
        {
            result[p * 3] = lightness[p];
        }

        return new FaceImage(source.Width, source.Height, 3, Lab.ToBgr(result));
    }

    private static float[] MatchLightness(float[] s, float[] t, float[] mask)
    {
        (double sMean, double sStd) = Stats(s, mask);
        (double tMean, double tStd) = Stats(t, mask);
        var l = new float[s.Length / 3];
        for (int p = 0; p < l.Length; p++)
        {
            l[p] = (float)Math.Clamp(((s[p * 3] - sMean) * (tStd / Math.Max(sStd, 1e-6))) + tMean, 0, 100);
        }

        return l;
    }

    private static float[] WithLightness(float[] lab, float value)
    {
        float[] copy = (float[])lab.Clone();
        for (int i = 0; i < copy.Length; i += 3)
        {
            copy[i] = value;
        }

        return copy;
    }

    private static (double Mean, double Std) Stats(float[] lab, float[] mask)
    {
        double sum = 0, sq = 0;
        long n = 0;
        for (int p = 0; p < mask.Length; p++)
        {
            if (mask[p] > 0.5f)
            {
                double v = lab[p * 3];
                sum += v;
                sq += v * v;
                n++;
            }
        }

        n = Math.Max(1, n);
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, (sq / n) - (mean * mean))));
    }
}
