using DFLComposite.Faces;
using DFLComposite.Media;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Follows faces through a video the way MediaPipe's face mesh graph does: each face's landmarks in one frame
/// give the crop for the next, so the detector (the expensive part: two models, tiles, turned copies) runs
/// only on key frames, when a face is lost, or when there is none. Faces new to the shot are picked up at the
/// next key frame. Not thread-safe: one tracker per video, fed frames in order.
/// </summary>
public sealed class FaceTracker(FaceFinder finder)
{
    private IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> _faces = [];

    /// <param name="detections">The detector's output if this is a key frame (computed ahead on a worker), else null.</param>
    public IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> Next(ImageFrame frame, IReadOnlyList<DetectedFace>? detections)
    {
        var followed = new List<(DetectedFace, FaceLandmarks)>();
        foreach ((DetectedFace previous, FaceLandmarks landmarks) in _faces)
        {
            FaceLandmarks? now = finder.Landmarks(frame, FromLandmarks(landmarks, previous.Score));
            if (now is not null)
            {
                followed.Add((FromLandmarks(now, previous.Score), now));
            }
        }

        if (detections is null && (followed.Count < _faces.Count || followed.Count == 0))
        {
            detections = finder.Detect(frame); // lost someone (or no one yet): look properly
        }

        _faces = finder.Locate(frame, detections ?? [], followed);
        return _faces;
    }

    /// <summary>A detection-shaped description of a face from its landmarks: mesh extent box, eyes, nose, mouth, ears.</summary>
    public static DetectedFace FromLandmarks(FaceLandmarks lm, float score)
    {
        IReadOnlyList<PointF> pts = lm.Mesh.Count > 0 ? lm.Mesh : lm.Points68;
        float x0 = pts.Min(p => p.X), y0 = pts.Min(p => p.Y), x1 = pts.Max(p => p.X), y1 = pts.Max(p => p.Y);
        (PointF right, PointF left) = lm.EyeCentres();
        IReadOnlyList<PointF> p68 = lm.Points68;
        PointF mouth = (p68[62] + p68[66]) * 0.5f;
        return new DetectedFace(new RectF(x0, y0, x1 - x0, y1 - y0), score, [right, left, p68[30], mouth, p68[0], p68[16]]);
    }
}
