using OpenCvSharp;

namespace DFLComposite.Engine.Merge.Effects;

/// <summary>
/// Smears the predicted face along the face's own motion, DeepFaceLab's motion blur: the model predicts a sharp face
/// even where the footage is smeared by a fast head turn. The kernel is a line at the motion's angle whose length
/// is the face's movement per frame (in face pixels) times power / 100.
/// </summary>
public static class MotionBlur
{
    /// <param name="face">BGR float [0, 1], changed in place.</param>
    /// <param name="motion">Face movement per frame, in face-crop pixels (x, y).</param>
    /// <param name="power">0..100.</param>
    public static void Apply(Mat face, (double X, double Y) motion, int power)
    {
        double length = Math.Sqrt((motion.X * motion.X) + (motion.Y * motion.Y)) * power / 100.0;
        int k = Math.Min(51, (int)Math.Round(length)) | 1; // odd, so the line is centred on the pixel
        if (power <= 0 || k < 3)
        {
            return;
        }

        using var kernel = new Mat(k, k, MatType.CV_32FC1, Scalar.All(0));
        double angle = Math.Atan2(motion.Y, motion.X);
        double c = (k - 1) / 2.0, dx = Math.Cos(angle), dy = Math.Sin(angle);
        // a one-pixel line through the centre, sampled finely so diagonal lines have no gaps
        for (double t = -c; t <= c; t += 0.25)
        {
            int x = (int)Math.Round(c + (t * dx)), y = (int)Math.Round(c + (t * dy));
            kernel.Set(y, x, 1f);
        }

        kernel.ConvertTo(kernel, MatType.CV_32FC1, 1.0 / Cv2.Sum(kernel).Val0);
        Cv2.Filter2D(face, face, -1, kernel, borderType: BorderTypes.Replicate);
    }
}
