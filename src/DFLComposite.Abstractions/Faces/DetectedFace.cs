namespace DFLComposite.Faces;

/// <summary>
/// One face a detector found, in source-frame pixels. Keypoints follow BlazeFace's order:
/// right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion
/// ("right" is the subject's right, which is on the image's left).
/// </summary>
public sealed record DetectedFace(RectF Box, float Score, IReadOnlyList<PointF> Keypoints)
{
    public PointF RightEye => Keypoints[0];
    public PointF LeftEye => Keypoints[1];

    /// <summary>Roll of the eye line in radians (0 when the eyes are level), used to de-rotate crops.</summary>
    public float Roll => MathF.Atan2(LeftEye.Y - RightEye.Y, LeftEye.X - RightEye.X);
}
