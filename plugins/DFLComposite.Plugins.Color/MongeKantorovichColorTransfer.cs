using DFLComposite.Merge;

namespace DFLComposite.Plugins.Color;

/// <summary>
/// mkl — Monge-Kantorovich linear colour transfer (Pitié and Kokaram): the linear map that moves the source colour
/// distribution onto the target's with the least change, T = Cs^-1/2 (Cs^1/2 Ct Cs^1/2)^1/2 Cs^-1/2. Statistics over
/// the whole face square, as DeepFaceLab's mkl.
/// </summary>
[PluginExport(typeof(IColorTransfer), "mkl", "1.0", "Monge-Kantorovich linear colour transfer (whole face square)")]
public sealed class MongeKantorovichColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask) => Apply(source, target, null);

    internal static FaceImage Apply(FaceImage source, FaceImage target, FaceImage? mask)
    {
        (double[] ms, double[,] cs) = ColorStats.MeanCov(ColorStats.Pixels(source, mask));
        (double[] mt, double[,] ct) = ColorStats.MeanCov(ColorStats.Pixels(target, mask));
        double[,] half = ColorStats.Apply(cs, Math.Sqrt), invHalf = ColorStats.Apply(cs, v => 1 / Math.Sqrt(v));
        double[,] middle = ColorStats.Apply(ColorStats.Mul(ColorStats.Mul(half, ct), half), Math.Sqrt);
        return ColorStats.Affine(source, ColorStats.Mul(ColorStats.Mul(invHalf, middle), invHalf), ms, mt);
    }
}

/// <summary>mkl-m — <see cref="MongeKantorovichColorTransfer"/> with statistics inside the face mask only.</summary>
[PluginExport(typeof(IColorTransfer), "mkl-m", "1.0", "Monge-Kantorovich linear colour transfer, statistics inside the mask")]
public sealed class MongeKantorovichMaskedColorTransfer : IColorTransfer
{
    public void Initialize(PluginContext context)
    {
    }

    public FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask) => MongeKantorovichColorTransfer.Apply(source, target, mask);
}
