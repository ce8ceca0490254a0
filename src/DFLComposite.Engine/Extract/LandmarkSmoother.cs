using DFLComposite.Faces;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Temporal smoothing of landmarks in a video. Faces are followed from frame to frame by box overlap
/// (a track per person); each track runs a <see cref="OneEuroFilter"/> per coordinate in units of the face's
/// eye distance, so the same strength suits close-ups and small faces. Strength 0 turns it off; higher is
/// steadier. A track not seen for a few frames is dropped, and a new face starts unfiltered.
/// </summary>
public sealed class LandmarkSmoother(double strength, double fps)
{
    private const int MaxMissedFrames = 5;
    private readonly List<Track> _tracks = [];
    private readonly double _dt = 1.0 / (fps > 0 ? fps : 25);

    /// <summary>Smoothed copies of the landmarks of one frame's faces, in the same order.</summary>
    public IReadOnlyList<FaceLandmarks> Smooth(IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> faces)
    {
        using var _ = Diagnostics.StageTimes.Measure("smooth");
        if (strength <= 0)
        {
            return faces.Select(f => f.Landmarks).ToArray();
        }

        foreach (Track t in _tracks)
        {
            t.Missed++;
        }

        var result = new FaceLandmarks[faces.Count];
        var claimed = new HashSet<Track>();
        // Largest faces pick their track first.
        foreach (int i in Enumerable.Range(0, faces.Count).OrderByDescending(i => faces[i].Face.Box.Area))
        {
            (DetectedFace face, FaceLandmarks lm) = faces[i];
            Track? track = _tracks.Where(t => !claimed.Contains(t) && t.Box.IoU(face.Box) > 0.3f).MaxBy(t => t.Box.IoU(face.Box));
            if (track is null)
            {
                track = new Track(lm.Mesh.Count + lm.Points68.Count, strength);
                _tracks.Add(track);
            }

            claimed.Add(track);
            track.Missed = 0;
            track.Box = face.Box;
            result[i] = track.Apply(lm, _dt);
        }

        _tracks.RemoveAll(t => t.Missed > MaxMissedFrames);
        return result;
    }

    private sealed class Track
    {
        private readonly OneEuroFilter[] _x, _y;

        public Track(int points, double strength)
        {
            // Tuned on talking-head footage: at strength 1 a still face's jitter drops several-fold while a
            // head turn is followed within a frame or two. Units: eye distances and seconds.
            double minCutoff = 2.0 / strength, beta = 4.0 / strength;
            _x = Enumerable.Range(0, points).Select(_ => new OneEuroFilter(minCutoff, beta)).ToArray();
            _y = Enumerable.Range(0, points).Select(_ => new OneEuroFilter(minCutoff, beta)).ToArray();
        }

        public RectF Box { get; set; }

        public int Missed { get; set; }

        private float _scale;

        public FaceLandmarks Apply(FaceLandmarks lm, double dt)
        {
            // The unit is fixed when the track starts: a unit that changed per frame would itself move points.
            if (_scale == 0)
            {
                _scale = Math.Max(1f, lm.InterOcularDistance);
            }

            float scale = _scale;
            PointF[] mesh = Filter(lm.Mesh, 0, scale, dt);
            PointF[] p68 = Filter(lm.Points68, lm.Mesh.Count, scale, dt);
            return lm with { Mesh = mesh, Points68 = p68 };
        }

        private PointF[] Filter(IReadOnlyList<PointF> points, int offset, float scale, double dt)
        {
            var output = new PointF[points.Count];
            for (int i = 0; i < points.Count; i++)
            {
                output[i] = new PointF(
                    (float)(_x[offset + i].Filter(points[i].X / scale, dt) * scale),
                    (float)(_y[offset + i].Filter(points[i].Y / scale, dt) * scale));
            }

            return output;
        }
    }
}
