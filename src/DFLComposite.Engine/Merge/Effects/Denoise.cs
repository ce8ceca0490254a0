using OpenCvSharp;

namespace DFLComposite.Engine.Merge.Effects;

/// <summary>
/// Removes speckle from the predicted face with 5x5 median passes, DeepFaceLab's denoise power: each full 100 is
/// one pass, the remainder blends one more pass in. DFL denoises the whole destination frame; here only the face is
/// touched, so footage outside the merge mask stays bit-identical.
/// </summary>
public static class Denoise
{
    /// <param name="face">BGR float [0, 1], changed in place.</param>
    /// <param name="power">0..500.</param>
    public static void Apply(Mat face, int power)
    {
        using var pass = new Mat();
        for (int n = power; n > 0; n -= 100)
        {
            Cv2.MedianBlur(face, pass, 5);
            double w = Math.Min(100, n) / 100.0;
            Cv2.AddWeighted(pass, w, face, 1 - w, 0, face);
        }
    }
}
