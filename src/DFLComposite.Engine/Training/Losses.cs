using DFLComposite.Engine.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>
/// The loss terms DeepFaceLab trains with. Each returns a scalar tensor (mean over the batch).
/// DSSIM is (1 - SSIM) / 2 with a Gaussian window (sigma 1.5) of the given size, as TensorFlow's ssim.
/// </summary>
public static class Losses
{
    /// <summary><paramref name="loss"/> times <paramref name="weight"/> (a per-call Scalar, held until the call is done: see <see cref="Scalars"/>).</summary>
    public static Tensor Weighted(double weight, Tensor loss)
    {
        using Scalar w = weight.ToScalar();
        return loss.mul(w);
    }

    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        using Tensor d = prediction - target;
        using Tensor sq = d.Squared();
        return sq.mean();
    }

    public static Tensor L1(Tensor prediction, Tensor target)
    {
        using Tensor d = prediction - target;
        using Tensor a = d.abs();
        return a.mean();
    }

    public static Tensor Dssim(Tensor prediction, Tensor target, int filterSize)
    {
        long channels = prediction.shape[1];
        filterSize = Math.Max(3, filterSize | 1);
        using var scope = NewDisposeScope();
        Tensor window = GaussianWindow(filterSize, 1.5, channels, prediction.device);
        Tensor Blur(Tensor x) => nn.functional.conv2d(x, window, groups: channels);
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        Scalar two = Scalars.S(2.0);
        Tensor muP = Blur(prediction), muT = Blur(target);
        Tensor muPP = muP * muP, muTT = muT * muT, muPT = muP * muT;
        Tensor sigmaP = Blur(prediction * prediction) - muPP;
        Tensor sigmaT = Blur(target * target) - muTT;
        Tensor sigmaPT = Blur(prediction * target) - muPT;
        Tensor ssim = ((muPT * two).Plus(c1) * (sigmaPT * two).Plus(c2)) / (muPP.Plus(muTT).Plus(c1) * sigmaP.Plus(sigmaT).Plus(c2));
        Tensor result = ssim.mean().SubtractedFrom(1).div(two);
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor GaussianWindow(int size, double sigma, long channels, Device device)
    {
        var g = new float[size];
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            double x = i - ((size - 1) / 2.0);
            g[i] = (float)Math.Exp(-(x * x) / (2 * sigma * sigma));
            sum += g[i];
        }

        var w = new float[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                w[(y * size) + x] = (float)(g[y] * g[x] / (sum * sum));
            }
        }

        using Tensor k = tensor(w, [1, 1, size, size], device: device);
        return k.expand(channels, 1, size, size).contiguous();
    }

    /// <summary>Parses "dssim:10,mse:10,l1:0" into weighted terms.</summary>
    public static IReadOnlyList<(string Term, double Weight)> ParseSpec(string spec)
    {
        var terms = new List<(string, double)>();
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = part.Split(':');
            string term = kv[0].ToLowerInvariant();
            if (term is not ("dssim" or "mse" or "l1"))
            {
                throw new UserErrorException($"unknown term '{term}'; use dssim, mse and l1 with weights, e.g. dssim:10,mse:10");
            }

            double weight = kv.Length > 1 && double.TryParse(kv[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double w)
                && double.IsFinite(w) && w >= 0
                ? w
                : throw new UserErrorException($"'{part}' needs a weight of 0 or more, e.g. {term}:10");
            terms.Add((term, weight));
        }

        return terms.Count > 0 ? terms : throw new UserErrorException("no loss terms; e.g. dssim:10,mse:10");
    }
}
