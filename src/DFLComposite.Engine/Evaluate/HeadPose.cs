using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// Head pose in degrees from six of the 68 points (nose tip, chin, outer eye corners, mouth corners) fitted with
/// solvePnP to a generic 3-D face; the camera is a pinhole with focal length = frame width. Absolute angles are
/// rough (one face shape for everyone), but the difference between two faces in the same frame is what evaluation
/// reports, and the shared model error cancels there.
/// </summary>
public static class HeadPose
{
    // Generic head, millimetres, x right, y up, z towards the camera; nose tip at the origin.
    private static readonly Point3f[] Model =
    [
        new(0, 0, 0),          // 30 nose tip
        new(0, -63.6f, -12.5f),  // 8 chin
        new(-43.3f, 32.7f, -26f), // 36 subject's right eye, outer corner
        new(43.3f, 32.7f, -26f),  // 45 left eye, outer corner
        new(-28.9f, -28.9f, -24.1f), // 48 right mouth corner
        new(28.9f, -28.9f, -24.1f),  // 54 left mouth corner
    ];

    private static readonly int[] Indices = [30, 8, 36, 45, 48, 54];

    /// <summary>(yaw, pitch, roll) in degrees; signs follow OpenCV's camera axes; evaluation reports only differences.</summary>
    public static (double Yaw, double Pitch, double Roll) Estimate(IReadOnlyList<PointF> points68, int width, int height)
    {
        // The model's y is up, the image's down: flip y of the model so both are in the camera's frame (y down).
        Point3f[] model = Model.Select(p => new Point3f(p.X, -p.Y, -p.Z)).ToArray();
        Point2f[] image = Indices.Select(i => new Point2f(points68[i].X, points68[i].Y)).ToArray();
        double f = width;
        double[,] camera = { { f, 0, width / 2.0 }, { 0, f, height / 2.0 }, { 0, 0, 1 } };
        using var cam = Mat.FromArray(camera);
        using var obj = Mat.FromArray(model);
        using var img = Mat.FromArray(image);
        // Start from a frontal face at the distance its eye spacing implies: without a guess the iterative solver
        // can settle on the mirrored (upside-down) solution of these near-planar points.
        double eyes = Math.Max(1, Math.Sqrt(Math.Pow(image[3].X - image[2].X, 2) + Math.Pow(image[3].Y - image[2].Y, 2)));
        using var rvec = Mat.FromArray(new double[] { 0, 0, 0 });
        using var tvec = Mat.FromArray(new double[] { 0, 0, f * 86.6 / eyes });
        using var dist = new Mat();
        Cv2.SolvePnP(obj, img, cam, dist, rvec, tvec, true, SolvePnPMethod.Iterative);
        using var rot = new Mat();
        Cv2.Rodrigues(rvec, rot);
        double r00 = rot.At<double>(0, 0), r10 = rot.At<double>(1, 0), r20 = rot.At<double>(2, 0), r21 = rot.At<double>(2, 1), r22 = rot.At<double>(2, 2);
        double sy = Math.Sqrt((r00 * r00) + (r10 * r10));
        double pitch = Math.Atan2(r21, r22), yaw = Math.Atan2(-r20, sy), roll = Math.Atan2(r10, r00);
        return (Deg(yaw), Deg(pitch), Deg(roll));
    }

    private static double Deg(double r) => r * 180 / Math.PI;
}
