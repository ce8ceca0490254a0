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

    /// <summary>A detection-shaped description of a face from its landmarks: mesh extent box, eyes, nose, mouth, ears.</summary>
    public static DetectedFace FromLandmarks(FaceLandmarks landmarks, float score)
    {
        IReadOnlyList<PointF> pts = landmarks.Mesh.Count > 0 ? landmarks.Mesh : landmarks.Points68;
        float x0 = pts.Min(p => p.X), y0 = pts.Min(p => p.Y), x1 = pts.Max(p => p.X), y1 = pts.Max(p => p.Y);
        (PointF right, PointF left) = landmarks.EyeCentres();
        IReadOnlyList<PointF> p68 = landmarks.Points68;
        PointF mouth = (p68[62] + p68[66]) * 0.5f;
        return new DetectedFace(new RectF(x0, y0, x1 - x0, y1 - y0), score, [right, left, p68[30], mouth, p68[0], p68[16]]);
    }
}
