using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// What composing one face leaves besides the changed frame: its mask in frame pixels (CV_32F, for mattes and alpha),
/// the debug panels when asked for, and for raw-predict the predicted face square itself (CV_32FC3, BGR [0, 1]).
/// </summary>
public sealed class ComposedFace(Mat? frameMask, Mat? debugPanels, Mat? prediction) : IDisposable
{
    public Mat? FrameMask { get; } = frameMask;

    public Mat? DebugPanels { get; } = debugPanels;

    public Mat? Prediction { get; } = prediction;

    public static ComposedFace RawPrediction(Mat prediction) => new(null, null, prediction);

    public void Dispose()
    {
        FrameMask?.Dispose();
        DebugPanels?.Dispose();
        Prediction?.Dispose();
    }
}
