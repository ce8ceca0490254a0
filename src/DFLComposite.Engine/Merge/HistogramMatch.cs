namespace DFLComposite.Engine.Merge;

/// <summary>
/// Per-channel histogram matching inside a mask (DeepFaceLab's hist-match mode): each channel of the source is
/// remapped through its CDF onto the target's, so the face region takes the target's distribution of values.
/// Images are HWC float [0, 1]; the mask is one channel, counted where above 0.5.
/// </summary>
public static class HistogramMatch
{
    private const int Bins = 256;

    public static float[] Apply(float[] source, float[] target, float[] mask, int channels = 3)
    {
        var output = (float[])source.Clone();
        for (int c = 0; c < channels; c++)
        {
            double[] cdfS = Cdf(source, mask, c, channels), cdfT = Cdf(target, mask, c, channels);
            var lookup = new float[Bins];
            int j = 0;
            for (int i = 0; i < Bins; i++)
            {
                while (j < Bins - 1 && cdfT[j] < cdfS[i])
                {
                    j++;
                }

                lookup[i] = (j + 0.5f) / Bins;
            }

            for (int p = c; p < output.Length; p += channels)
            {
                output[p] = lookup[Bin(source[p])];
            }
        }

        return output;
    }

    private static double[] Cdf(float[] image, float[] mask, int channel, int channels)
    {
        var hist = new double[Bins];
        double total = 0;
        for (int p = 0; p < mask.Length; p++)
        {
            if (mask[p] > 0.5f)
            {
                hist[Bin(image[(p * channels) + channel])]++;
                total++;
            }
        }

        double run = 0;
        for (int i = 0; i < Bins; i++)
        {
            run += hist[i];
            hist[i] = total > 0 ? run / total : (i + 1.0) / Bins;
        }

        return hist;
    }

    private static int Bin(float v) => Math.Clamp((int)(v * Bins), 0, Bins - 1);
}
