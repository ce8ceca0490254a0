namespace DFLComposite.Faces;

/// <summary>
/// A 2x3 affine map <c>[a b c; d e f]</c>: x' = a x + b y + c, y' = d x + e y + f. OpenCV's warpAffine layout.
/// </summary>
public readonly record struct Affine2D(double A, double B, double C, double D, double E, double F)
{
    public static Affine2D Identity => new(1, 0, 0, 0, 1, 0);

    public PointF Apply(PointF p) => new((float)((A * p.X) + (B * p.Y) + C), (float)((D * p.X) + (E * p.Y) + F));

    public PointF[] Apply(IEnumerable<PointF> points) => points.Select(Apply).ToArray();

    public Affine2D Invert()
    {
        double det = (A * E) - (B * D);
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("Affine map is singular.");
        }

        double ia = E / det, ib = -B / det, id = -D / det, ie = A / det;
        return new Affine2D(ia, ib, -((ia * C) + (ib * F)), id, ie, -((id * C) + (ie * F)));
    }

    /// <summary>This map applied after <paramref name="first"/>.</summary>
    public Affine2D After(Affine2D first) => new(
        (A * first.A) + (B * first.D), (A * first.B) + (B * first.E), (A * first.C) + (B * first.F) + C,
        (D * first.A) + (E * first.D), (D * first.B) + (E * first.E), (D * first.C) + (E * first.F) + F);

    /// <summary>Uniform scale factor (square root of the determinant's magnitude).</summary>
    public double Scale => Math.Sqrt(Math.Abs((A * E) - (B * D)));

    public double[] ToArray() => [A, B, C, D, E, F];

    public static Affine2D FromArray(IReadOnlyList<double> m) => new(m[0], m[1], m[2], m[3], m[4], m[5]);
}
