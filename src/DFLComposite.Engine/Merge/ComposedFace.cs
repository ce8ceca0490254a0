using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// What composing one face leaves besides the changed frame: its mask over the frame region the face covers (CV_32F,
/// for mattes and alpha; never a whole frame per face, which at 4K is 33 MB to allocate and clear), the debug panels
/// when asked for, and for raw-predict the predicted face square itself (CV_32FC3, BGR [0, 1]).
/// </summary>
public sealed class ComposedFace(Mat? regionMask, Rect region, Mat? debugPanels, Mat? prediction) : IDisposable
{
    /// <summary>The mask over <see cref="Region"/> (its size), or null.</summary>
    public Mat? RegionMask { get; } = regionMask;

    /// <summary>The frame rectangle the face can change (empty when it is outside the frame).</summary>
    public Rect Region { get; } = region;

    public Mat? DebugPanels { get; } = debugPanels;

    public Mat? Prediction { get; } = prediction;

    public static ComposedFace RawPrediction(Mat prediction) => new(null, default, null, prediction);

    /// <summary>Adds this face's mask to a frame-size mask (the larger value wins where faces overlap).</summary>
    public void AddMaskTo(Mat frameMask)
    {
        if (RegionMask is null || Region.Width <= 0 || Region.Height <= 0)
        {
            return;
        }

        using var roi = new Mat(frameMask, Region);
        Cv2.Max(roi, RegionMask, roi);
    }

    /// <summary>This face's mask on a frame of <paramref name="frame"/> size (zero outside its region).</summary>
    public Mat FrameMask(Size frame)
    {
        var mask = new Mat(frame, MatType.CV_32FC1, Scalar.All(0));
        AddMaskTo(mask);
        return mask;
    }

    public void Dispose()
    {
        RegionMask?.Dispose();
        DebugPanels?.Dispose();
        Prediction?.Dispose();
    }
}
