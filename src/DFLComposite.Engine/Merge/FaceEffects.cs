using DFLComposite.Engine.Merge.Effects;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// The predicted face's finishing steps, in DeepFaceLab's order after colour transfer: denoise, degrade (bicubic,
/// colour), blur/sharpen, motion blur. Each is one small file under Effects/ and does nothing at power 0.
/// </summary>
internal static class FaceEffects
{
    /// <param name="face">BGR float [0, 1] at the model's resolution, changed in place.</param>
    /// <param name="motion">Face movement per frame in face-crop pixels.</param>
    public static void Apply(Mat face, MergeSettings settings, (double X, double Y) motion)
    {
        Denoise.Apply(face, settings.Denoise);
        BicubicDegrade.Apply(face, settings.BicubicDegrade);
        ColorDegrade.Apply(face, settings.ColorDegrade);
        Sharpen.Apply(face, settings.Sharpen, settings.SharpenAmount);
        MotionBlur.Apply(face, motion, settings.MotionBlur);
    }
}
