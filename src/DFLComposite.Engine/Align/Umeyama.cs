using DFLComposite.Faces;

namespace DFLComposite.Engine.Align;

/// <summary>
/// Least-squares similarity transform (rotation, uniform scale, translation; no reflection) from one point
/// set to another — Umeyama's method. In 2-D it has a closed form, so no SVD is needed.
/// </summary>
public static class Umeyama
{
    public static Affine2D Fit(IReadOnlyList<PointF> from, IReadOnlyList<PointF> to)
    {
        if (from.Count != to.Count || from.Count < 2)
        {
            throw new ArgumentException("Need two equally long point lists of at least 2 points.");
        }

        int n = from.Count;
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (int i = 0; i < n; i++)
        {
            fx += from[i].X;
            fy += from[i].Y;
            tx += to[i].X;
            ty += to[i].Y;
        }

        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double ax = from[i].X - fx, ay = from[i].Y - fy, bx = to[i].X - tx, by = to[i].Y - ty;
            dot += (ax * bx) + (ay * by);
            cross += (ax * by) - (ay * bx);
            norm += (ax * ax) + (ay * ay);
        }

        if (norm < 1e-12)
        {
            throw new ArgumentException("Source points are all the same point.");
        }

        double a = dot / norm, b = cross / norm; // scale*cos, scale*sin
        return new Affine2D(a, -b, tx - ((a * fx) - (b * fy)), b, a, ty - ((b * fx) + (a * fy)));
    }
}
