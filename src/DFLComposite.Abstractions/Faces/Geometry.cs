namespace DFLComposite.Faces;

/// <summary>A point in pixels (sub-pixel precision).</summary>
public readonly record struct PointF(float X, float Y)
{
    public static PointF operator +(PointF a, PointF b) => new(a.X + b.X, a.Y + b.Y);
    public static PointF operator -(PointF a, PointF b) => new(a.X - b.X, a.Y - b.Y);
    public static PointF operator *(PointF a, float s) => new(a.X * s, a.Y * s);
    public float Length => MathF.Sqrt((X * X) + (Y * Y));
}

/// <summary>An axis-aligned rectangle in pixels.</summary>
public readonly record struct RectF(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public PointF Center => new(X + (Width / 2), Y + (Height / 2));
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union, the overlap measure non-maximum suppression uses.</summary>
    public float IoU(RectF other)
    {
        float x0 = Math.Max(X, other.X), y0 = Math.Max(Y, other.Y);
        float x1 = Math.Min(Right, other.Right), y1 = Math.Min(Bottom, other.Bottom);
        float inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        float union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
