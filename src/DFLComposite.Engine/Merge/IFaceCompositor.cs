using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// What the streaming <see cref="Merger"/> does to each tracked face: <see cref="FaceComposer"/> swaps it in;
/// <see cref="Segmentation.MatteComposer"/> only measures its matte (<c>dflc mask</c>). Thread-safe: faces of
/// different frames are composed on several workers at once.
/// </summary>
public interface IFaceCompositor
{
    /// <summary>Side of the square a raw-predict output has (the model's resolution).</summary>
    int Resolution { get; }

    /// <param name="frame">BGR at the frame's depth (8-bit, 16-bit or float); a compositor may change it in place.</param>
    /// <param name="frame8">The same picture as 8-bit BGR, for models that take 8-bit input (the same Mat when the frame is 8-bit).</param>
    ComposedFace Compose(Mat frame, Mat frame8, IReadOnlyList<PointF> landmarks68, MergeSettings? frameSettings = null, (double X, double Y) motion = default, bool debug = false);
}
