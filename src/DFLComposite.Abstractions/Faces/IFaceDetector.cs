using DFLComposite.Media;
using DFLComposite.Plugins;

namespace DFLComposite.Faces;

/// <summary>Finds faces in a frame. Exported as <c>[PluginExport(typeof(IFaceDetector), ...)]</c>.</summary>
[PluginFamily("extract", "detector")]
public interface IFaceDetector : IPluginPart
{
    /// <summary>
    /// Faces in <paramref name="frame"/>, best first, after non-maximum suppression.
    /// Thread-safe: the extract pipeline calls it from several workers.
    /// </summary>
    IReadOnlyList<DetectedFace> Detect(ImageFrame frame, float minScore);
}
