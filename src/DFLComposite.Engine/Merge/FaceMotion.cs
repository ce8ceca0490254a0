using DFLComposite.Faces;

namespace DFLComposite.Engine.Merge;

/// <summary>How far a face moved since the previous frame, for motion blur (DFL measures it the same way, per face).</summary>
internal static class FaceMotion
{
    /// <summary>
    /// Movement of the face's landmark centre from the nearest face of the previous frame, in frame pixels per frame;
    /// zero for a face that was not there before (a cut or a new face should not be smeared).
    /// </summary>
    public static (double X, double Y) Since(IReadOnlyList<PointF> face, IReadOnlyList<FaceLandmarks> previous)
    {
        PointF centre = Centre(face);
        double best = double.MaxValue;
        (double X, double Y) motion = default;
        foreach (FaceLandmarks p in previous)
        {
            PointF c = Centre(p.Points68);
            double dx = centre.X - c.X, dy = centre.Y - c.Y, d = (dx * dx) + (dy * dy);
            if (d < best)
            {
                best = d;
                motion = (dx, dy);
            }
        }

        // a jump of more than the face's own width is a different face or a cut, not motion
        float width = face.Max(q => q.X) - face.Min(q => q.X);
        return best < width * width ? motion : default;
    }

    private static PointF Centre(IReadOnlyList<PointF> points)
    {
        float x = 0, y = 0;
        foreach (PointF p in points)
        {
            x += p.X;
            y += p.Y;
        }

        return new PointF(x / points.Count, y / points.Count);
    }
}
