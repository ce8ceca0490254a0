namespace DFLComposite.Faces;

/// <summary>
/// Landmarks of one face in source-frame pixels: the dense mesh (MediaPipe's 468-point topology, empty for
/// landmarkers without one) and the standard 68-point layout (iBUG 300-W / dlib order) derived from it.
/// <see cref="Confidence"/> is the landmarker's own face-presence score in [0, 1].
/// </summary>
public sealed record FaceLandmarks(IReadOnlyList<PointF> Mesh, IReadOnlyList<PointF> Points68, float Confidence)
{
    /// <summary>Centres of the two eyes from the 68 points (subject's right eye first).</summary>
    public (PointF Right, PointF Left) EyeCentres()
    {
        PointF r = default, l = default;
        for (int i = 36; i < 42; i++)
        {
            r += Points68[i] * (1f / 6);
            l += Points68[i + 6] * (1f / 6);
        }

        return (r, l);
    }

    /// <summary>Distance between the eye centres: the scale unit landmark errors are measured in.</summary>
    public float InterOcularDistance
    {
        get
        {
            (PointF r, PointF l) = EyeCentres();
            return (l - r).Length;
        }
    }
}
