using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>
/// lct — linear colour transfer (Hertzmann's PCA variant): whiten the source's colour covariance and colour it
/// with the target's, x -> Ct^1/2 Cs^-1/2 (x - ms) + mt, statistics inside the mask.
/// </summary>
[PluginExport(typeof(IColorTransfer), "lct", "1.0", "Linear colour transfer: match mean and colour covariance (PCA)")]
public sealed class LinearColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask)
    {
        (double[] ms, double[,] cs) = ColorStats.MeanCov(ColorStats.Pixels(source, mask));
        (double[] mt, double[,] ct) = ColorStats.MeanCov(ColorStats.Pixels(target, mask));
        double[,] t = ColorStats.Mul(ColorStats.Apply(ct, Math.Sqrt), ColorStats.Apply(cs, v => 1 / Math.Sqrt(v)));
        return ColorStats.Affine(source, t, ms, mt);
    }
}
