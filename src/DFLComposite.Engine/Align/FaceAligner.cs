using DFLComposite.Faces;

namespace DFLComposite.Engine.Align;

/// <summary>
/// Computes the image-to-face affine map for a face type and output size the way DeepFaceLab does: an
/// Umeyama fit of the 68 points to <see cref="MeanFace"/>, then a square around the fitted unit face grown by
/// the face type's padding (whole face shifted 7% up to include the forehead; head shifted 50% and
/// re-centred by estimated yaw).
/// </summary>
public static class FaceAligner
{
    public static Affine2D ImageToFace(IReadOnlyList<PointF> points68, FaceType type, int outputSize)
    {
        if (points68.Count != 68)
        {
            throw new ArgumentException("Need 68 landmarks.", nameof(points68));
        }

        // image -> unit mean-face space, and back
        Affine2D toUnit = Umeyama.Fit(MeanFace.Select(points68), MeanFace.Points);
        Affine2D toImage = toUnit.Invert();
        PointF p0 = toImage.Apply(new PointF(0, 0)), p1 = toImage.Apply(new PointF(1, 0));
        PointF p2 = toImage.Apply(new PointF(1, 1)), p3 = toImage.Apply(new PointF(0, 1));
        PointF centre = toImage.Apply(new PointF(0.5f, 0.5f));

        PointF tbDiag = Normalize(p2 - p0), btDiag = Normalize(p1 - p3);
        float mod = (p0 - p2).Length * ((type.Padding() * MathF.Sqrt(2f)) + 0.5f);

        if (type == FaceType.WholeFace)
        {
            PointF up = p0 - p3;
            centre += up * 0.07f;
        }
        else if (type == FaceType.Head)
        {
            float yaw = EstimateYaw(toUnit.Apply(points68));
            yaw *= MathF.Abs(MathF.Tanh(yaw * 2)); // damp near zero
            PointF h = p0 - p1;
            centre -= Normalize(h) * (yaw * h.Length / 2f);
            PointF up = p0 - p3;
            centre += up * 0.50f;
        }

        // three corners of the output square in image space -> (0,0), (size,0), (size,size)
        PointF a = centre - (tbDiag * mod), b = centre + (btDiag * mod), c = centre + (tbDiag * mod);
        return FromThreePoints(a, b, c, outputSize);
    }

    /// <summary>DeepFaceLab's yaw estimate from 68 points in unit face space: right minus left half-width.</summary>
    public static float EstimateYaw(IReadOnlyList<PointF> unit68)
    {
        float l = ((unit68[27].X - unit68[0].X) + (unit68[28].X - unit68[1].X) + (unit68[29].X - unit68[2].X)) / 3f;
        float r = ((unit68[16].X - unit68[27].X) + (unit68[15].X - unit68[28].X) + (unit68[14].X - unit68[29].X)) / 3f;
        return r - l;
    }

    private static PointF Normalize(PointF v) => v * (1f / v.Length);

    // Solve the affine map taking a->(0,0), b->(s,0), c->(s,s).
    private static Affine2D FromThreePoints(PointF a, PointF b, PointF c, int s)
    {
        // inverse map: face (u,v) -> image = a + (b-a) u/s + (c-b) v/s
        var toImage = new Affine2D((b.X - a.X) / s, (c.X - b.X) / s, a.X, (b.Y - a.Y) / s, (c.Y - b.Y) / s, a.Y);
        return toImage.Invert();
    }
}
