using DFLComposite.Faces;

namespace DFLComposite.Plugins.MediaPipe.Align;

/// <summary>
/// The 68-point (iBUG 300-W / dlib) layout picked from MediaPipe's 468-point mesh. "Right" is the subject's
/// right (the image's left). Every left/right pair maps to a mirror pair of the mesh, so a flipped photo
/// gives mirrored 68 points. Documented in docs/landmarks.md.
/// </summary>
internal static class MeshTo68
{
    /// <summary>Mesh index for each of the 68 points, in 68-point order.</summary>
    public static readonly int[] Index =
    [
        // 0-16 jaw, subject's right ear -> chin (8) -> left ear
        234, 93, 132, 58, 172, 136, 150, 176, 152, 400, 379, 365, 397, 288, 361, 323, 454,
        // 17-21 right brow (outer -> inner), 22-26 left brow (inner -> outer)
        70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
        // 27-30 nose bridge (top -> tip), 31-35 lower nose (right wing -> left wing)
        168, 197, 5, 4, 98, 97, 2, 326, 327,
        // 36-41 right eye (outer corner, upper lid x2, inner corner, lower lid x2)
        33, 160, 158, 133, 153, 144,
        // 42-47 left eye (inner corner, upper lid x2, outer corner, lower lid x2)
        362, 385, 387, 263, 373, 380,
        // 48-59 outer lips (right corner, upper lip -> left corner, lower lip back)
        61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,
        // 60-67 inner lips
        78, 82, 13, 312, 308, 317, 14, 87,
    ];

    public static PointF[] From(IReadOnlyList<PointF> mesh)
    {
        var points = new PointF[Index.Length];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = mesh[Index[i]];
        }

        return points;
    }
}
