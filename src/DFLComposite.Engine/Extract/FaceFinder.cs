using DFLComposite.Faces;
using DFLComposite.Media;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Detect, filter and landmark faces: the per-frame work, safe to call from many threads. With a
/// <see cref="ReferenceFilter"/>, a face is checked against the reference person when it is first found; in video,
/// a face the tracker then follows keeps that verdict until it is lost (it is not embedded again every frame), and
/// faces turned away are looked at again whenever the detector runs.
/// </summary>
public sealed class FaceFinder(IFaceDetector detector, ILandmarker landmarker, ExtractSettings settings, ReferenceFilter? reference = null)
{
    public ILandmarker Landmarker => landmarker;

    /// <summary>The --reference filter, if any.</summary>
    public ReferenceFilter? Reference => reference;

    public ExtractSettings Settings => settings;

    /// <summary>Detections at least --min-face wide, largest first.</summary>
    public IReadOnlyList<DetectedFace> Detect(ImageFrame frame)
    {
        using var _ = Diagnostics.StageTimes.Measure("detect");
        return detector.Detect(frame, settings.MinScore)
            .Where(f => Math.Max(f.Box.Width, f.Box.Height) >= settings.MinFace)
            .OrderByDescending(f => f.Box.Area)
            .ToArray();
    }

    /// <summary>The landmarker, timed as "mesh" in profiles.</summary>
    public FaceLandmarks? Landmarks(ImageFrame frame, DetectedFace face)
    {
        using var _ = Diagnostics.StageTimes.Measure("mesh");
        return landmarker.Locate(frame, face);
    }

    /// <summary>The landmarker following a face from the previous frame, timed as "mesh" in profiles.</summary>
    public FaceLandmarks? Follow(ImageFrame frame, FaceLandmarks previous, float score)
    {
        using var _ = Diagnostics.StageTimes.Measure("mesh");
        return landmarker.Follow(frame, previous, score);
    }

    /// <summary>Faces with landmarks, largest first, after --min-face and --max-faces (a photo: no history).</summary>
    public IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> Find(ImageFrame frame) => Locate(frame, Detect(frame), []);

    /// <summary>
    /// Landmarks for the given detections, skipping any that overlap a face in <paramref name="already"/> and
    /// anyone the reference filter turns away; the result is <paramref name="already"/> plus the new faces, largest first, cut to --max-faces.
    /// </summary>
    public IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> Locate(
        ImageFrame frame, IReadOnlyList<DetectedFace> detections, IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> already)
    {
        var found = new List<(DetectedFace, FaceLandmarks)>(already);
        foreach (DetectedFace face in detections)
        {
            if (settings.MaxFaces > 0 && found.Count >= settings.MaxFaces)
            {
                break;
            }

            if (found.Any(f => f.Item1.Box.IoU(face.Box) > 0.3f))
            {
                continue;
            }

            FaceLandmarks? landmarks = Landmarks(frame, face);
            if (landmarks is not null && (reference is null || reference.Keeps(frame, landmarks)))
            {
                found.Add((face, landmarks));
            }
        }

        return found.OrderByDescending(f => f.Item1.Box.Area).ToArray();
    }
}
