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

    /// <summary>
    /// Landmarks of a face followed from the previous video frame, where it had <paramref name="previous"/>, or null when
    /// it is gone. The default locates it in a box made from the previous landmarks; a landmarker that can crop from its
    /// own previous output (MediaPipe's tracking) does less work. Thread-safe.
    /// </summary>
    FaceLandmarks? Follow(ImageFrame frame, FaceLandmarks previous, float score) => Locate(frame, DetectedFace.FromLandmarks(previous, score));
}
