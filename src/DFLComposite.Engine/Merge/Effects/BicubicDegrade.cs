using OpenCvSharp;

namespace DFLComposite.Engine.Merge.Effects;

/// <summary>
/// Loses detail the way soft footage does, DeepFaceLab's bicubic degrade: scale the face down by
/// <c>1 - power / 101</c> and back up, both bicubic, so a crisp prediction matches blurry or upscaled footage.
/// </summary>
public static class BicubicDegrade
{
    /// <param name="face">BGR float [0, 1], changed in place.</param>
    /// <param name="power">0..100.</param>
    public static void Apply(Mat face, int power)
    {
        if (power <= 0)
        {
            return;
        }

        double p = 1.0 - (power / 101.0);
        var small = new Size(Math.Max(1, (int)(face.Width * p)), Math.Max(1, (int)(face.Height * p)));
        using var down = new Mat();
        Cv2.Resize(face, down, small, interpolation: InterpolationFlags.Cubic);
        Cv2.Resize(down, face, face.Size(), interpolation: InterpolationFlags.Cubic);
        Cv2.Min(face, Scalar.All(1), face);
        Cv2.Max(face, Scalar.All(0), face);
    }
}
