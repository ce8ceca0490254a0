using DFLComposite.Media;
using DFLComposite.Plugins;

namespace DFLComposite.Faces;

/// <summary>
/// Separates people from the background of a picture (MediaPipe's selfie segmentation, for instance). Used to trim
/// generated XSeg starting labels to the person. Exported as <c>[PluginExport(typeof(IPersonSegmenter), ...)]</c>.
/// </summary>
[PluginFamily("mask", "person-segmenter")]
public interface IPersonSegmenter : IPluginPart
{
    /// <summary>Probability that each pixel shows a person: <c>Width * Height</c> floats in [0, 1], row-major. Thread-safe.</summary>
    float[] Segment(ImageFrame image);
}
