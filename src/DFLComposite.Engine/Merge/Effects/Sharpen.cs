using OpenCvSharp;

namespace DFLComposite.Engine.Merge.Effects;

/// <summary>
/// Sharpens (amount &gt; 0) or softens (amount &lt; 0) the predicted face, DeepFaceLab's blur/sharpen: a small
/// model's prediction is softer than the footage, so a little unsharp masking makes it sit in. box subtracts a 3x3
/// box blur, gaussian a 3x3 Gaussian; negative amounts blur with a Gaussian whose sigma grows with the amount.
/// </summary>
public static class Sharpen
{
    public static readonly string[] Modes = ["box", "gaussian"];

    /// <param name="face">BGR float [0, 1], changed in place.</param>
    /// <param name="amount">-100..100.</param>
    public static void Apply(Mat face, string mode, int amount)
    {
        if (amount == 0)
        {
            return;
        }

        using var blurred = new Mat();
        if (amount < 0)
        {
            double sigma = 0.05 * -amount; // -100 -> sigma 5 px
            Cv2.GaussianBlur(face, blurred, new Size(0, 0), sigma);
            blurred.CopyTo(face);
            return;
        }

        if (mode == "box")
        {
            Cv2.Blur(face, blurred, new Size(3, 3));
        }
        else
        {
            Cv2.GaussianBlur(face, blurred, new Size(3, 3), 0);
        }

        // unsharp mask: face + k (face - blurred); k = 2 at amount 100
        double k = amount / 50.0;
        Cv2.AddWeighted(face, 1 + k, blurred, -k, 0, face);
        Cv2.Min(face, Scalar.All(1), face);
        Cv2.Max(face, Scalar.All(0), face);
    }
}
