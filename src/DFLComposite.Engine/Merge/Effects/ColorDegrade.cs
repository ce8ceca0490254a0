using OpenCvSharp;

namespace DFLComposite.Engine.Merge.Effects;

/// <summary>
/// Reduces the face to 256 colours (3-3-2 bits of B-G-R, the classic 8-bit palette) and blends that in by
/// power / 100, DeepFaceLab's colour degrade: banding that matches low-bit-depth or heavily compressed footage.
/// </summary>
public static class ColorDegrade
{
    /// <param name="face">BGR float [0, 1], changed in place.</param>
    /// <param name="power">0..100.</param>
    public static void Apply(Mat face, int power)
    {
        if (power <= 0)
        {
            return;
        }

        using var reduced = new Mat();
        face.CopyTo(reduced);
        Mat[] channels = Cv2.Split(reduced);
        int[] levels = [4, 8, 8]; // B gets 2 bits, G and R 3 bits each: 4 * 8 * 8 = 256 colours
        for (int c = 0; c < 3; c++)
        {
            // quantise to the centre of each of `levels` bins
            int l = levels[c];
            channels[c].ConvertTo(channels[c], MatType.CV_32F, l, 0);
            using Mat floor = new();
            channels[c].ConvertTo(floor, MatType.CV_32S, 1, -0.5); // round(x - 0.5) = floor(x) for x not on .5
            Cv2.Min(floor, Scalar.All(l - 1), floor);
            Cv2.Max(floor, Scalar.All(0), floor);
            floor.ConvertTo(channels[c], MatType.CV_32F, 1.0 / l, 0.5 / l);
        }

        Cv2.Merge(channels, reduced);
        foreach (Mat ch in channels)
        {
            ch.Dispose();
        }

        double w = power / 100.0;
        Cv2.AddWeighted(reduced, w, face, 1 - w, 0, face);
    }
}
