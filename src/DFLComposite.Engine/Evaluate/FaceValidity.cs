using DFLComposite.Engine.Extract;
using DFLComposite.Faces;
using DFLComposite.Media;

namespace DFLComposite.Engine.Evaluate;

/// <summary>Why a swapped face failed the face check (null when it passed).</summary>
public static class FaceFailure
{
    /// <summary>The extract stage's detector finds no face where the dst face was.</summary>
    public const string NotDetected = "not detected";

    /// <summary>A detection, but the face mesh's face-presence score is below its threshold (the mesh sees no face).</summary>
    public const string NoMesh = "no face mesh";

    /// <summary>The mesh's 68 points are further from the dst's than <see cref="FaceValidity.MaxLandmarkError"/>.</summary>
    public const string LandmarksOff = "landmarks off";
}

/// <summary>
/// The face check of one swapped face: the merged frame goes through the extract stage's own detector and face mesh,
/// as if it were new footage. A swap whose result the extractor would not take as a face (not detected, mesh
/// presence below its 0.9 threshold) or whose 68 points do not fall where the dst's did is not a usable swap,
/// whatever its identity distance says.
/// </summary>
/// <param name="DetectionScore">The detector's score of the matched detection, or null when none matched.</param>
/// <param name="LandmarkError">Mean 68-point distance to the dst's points over the dst's eye distance, or null without a mesh.</param>
/// <param name="Failure">One of <see cref="FaceFailure"/>'s reasons, or null for a valid face.</param>
public sealed record FaceValidity(double? DetectionScore, double? LandmarkError, string? Failure)
{
    /// <summary>
    /// Largest mean 68-point error, in dst eye distances, for a valid swap. A swap keeps the dst's pose and
    /// expression, so its points land near the dst's: re-meshing the same face gives about 0.02, and a different
    /// person's face shape moves the jaw and brows by a few hundredths more. A quarter of the eye distance on average
    /// over all 68 points is a face in another place or shape altogether (or the mesh fitting a blob).
    /// </summary>
    public const double MaxLandmarkError = 0.25;

    public bool Valid => Failure is null;

    /// <summary>
    /// Checks the face at <paramref name="dst68"/> (the dst face's 68 points in the original frame) in the merged
    /// frame: the detection whose centre is nearest the dst face's (within one dst eye distance), its face mesh, and
    /// the distance of the mesh's 68 points to the dst's.
    /// </summary>
    public static (FaceValidity Check, IReadOnlyList<PointF>? Swapped68) Check(FaceFinder finder, ImageFrame merged, FaceLandmarks dst)
    {
        PointF centre = Centre(dst.Points68);
        float eyes = dst.InterOcularDistance;
        DetectedFace? match = finder.Detect(merged)
            .Select(d => (Face: d, Distance: (d.Box.Center - centre).Length))
            .Where(d => d.Distance <= eyes)
            .OrderBy(d => d.Distance)
            .Select(d => d.Face)
            .FirstOrDefault();
        if (match is null)
        {
            return (new FaceValidity(null, null, FaceFailure.NotDetected), null);
        }

        // the landmarker answers null when its face-presence score is below its threshold
        FaceLandmarks? mesh = finder.Landmarks(merged, match);
        if (mesh is null)
        {
            return (new FaceValidity(match.Score, null, FaceFailure.NoMesh), null);
        }

        double error = LandmarkMetrics.Error(mesh.Points68, dst.Points68);
        return (new FaceValidity(match.Score, error, error > MaxLandmarkError ? FaceFailure.LandmarksOff : null), mesh.Points68);
    }

    private static PointF Centre(IReadOnlyList<PointF> p) => new(p.Average(q => q.X), p.Average(q => q.Y));
}
