using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Plugins.MediaPipe;

/// <summary>Views between the contract's <see cref="ImageFrame"/> and OpenCV's <see cref="Mat"/>.</summary>
internal static class MatInterop
{
    /// <summary>A Mat header over the frame's bytes (no copy). Dispose it before the frame goes away.</summary>
    public static Mat AsMat(this ImageFrame frame) =>
        Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, frame.Pixels);
}
