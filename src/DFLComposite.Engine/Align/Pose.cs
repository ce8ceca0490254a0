using DFLComposite.Faces;

namespace DFLComposite.Engine.Align;

/// <summary>
/// Rough head pose from 68 points, good for sorting and balancing (not for geometry): yaw from the
/// asymmetry of the face's left and right half-widths, pitch from where the nose tip sits between the
/// eye line and the chin. Both are about 0 for a frontal face and grow towards ±1.
/// </summary>
public static class Pose
{
    public static (float Yaw, float Pitch) FromAligned(IReadOnlyList<PointF> aligned68)
    {
        // Work in the mean-face unit square so the values do not depend on face type or size.
        Affine2D toUnit = Umeyama.Fit(MeanFace.Select(aligned68), MeanFace.Points);
        PointF[] u = toUnit.Apply(aligned68);
        float yaw = FaceAligner.EstimateYaw(u);
        float eyes = (u[36].Y + u[45].Y) / 2, chin = u[8].Y, nose = u[30].Y;
        float pitch = ((nose - eyes) / Math.Max(1e-3f, chin - eyes)) - 0.31f; // 0.31: frontal faces in our test footage
        return (yaw, pitch * 2);
    }
}
