using DFLComposite.Media;
using DFLComposite.Plugins;

namespace DFLComposite.Faces;

/// <summary>Locates landmarks of a detected face. Exported as <c>[PluginExport(typeof(ILandmarker), ...)]</c>.</summary>
[PluginFamily("extract", "landmarker")]
public interface ILandmarker : IPluginPart
{
    /// <summary>
    /// Landmarks for <paramref name="face"/> in <paramref name="frame"/>, or null when the landmarker judges
    /// that there is no face there (a detector false positive). Thread-safe.
    /// </summary>
    FaceLandmarks? Locate(ImageFrame frame, DetectedFace face);
}
