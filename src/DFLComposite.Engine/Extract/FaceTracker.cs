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
            FaceLandmarks? now = finder.Follow(frame, landmarks, previous.Score);
            if (now is not null)
            {
                followed.Add((DetectedFace.FromLandmarks(now, previous.Score), now));
            }
        }

        if (detections is null && (followed.Count < _faces.Count || followed.Count == 0))
        {
            detections = finder.Detect(frame); // lost someone (or no one yet): look properly
        }

        _faces = finder.Locate(frame, detections ?? [], followed);
        return _faces;
    }
}
