using DFLComposite.Plugins;

namespace DFLComposite.Merge;

/// <summary>
/// Moves the colours of the predicted face towards the destination face (DeepFaceLab's rct, lct, mkl ...).
/// Exported as <c>[PluginExport(typeof(IColorTransfer), "rct", ...)]</c>; the name is what <c>--color</c> takes.
/// </summary>
[PluginFamily("merge", "color")]
public interface IColorTransfer : IPluginPart
{
    /// <summary>
    /// <paramref name="source"/> recoloured to match <paramref name="target"/>'s statistics, both measured where
    /// <paramref name="mask"/> (1 channel, same size) is above 0.5. Returns a new image.
    /// </summary>
    FaceImage Transfer(FaceImage source, FaceImage target, FaceImage mask);
}
