using DFLComposite.Faces;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// Runs of consecutive frames in which the same dst face is followed, so jitter and flicker are measured along one
/// face's path and never across a jump to another person or over a gap (a frame with no swapped face).
/// </summary>
internal sealed class FaceTrackRuns
{
    private readonly List<List<(IReadOnlyList<PointF> Dst, IReadOnlyList<PointF> Swap, double DstLight, double SwapLight)>> _runs = [];
    private long _lastFrame = long.MinValue;
    private PointF _lastCentre;
    private float _lastEyes;

    /// <summary>The face to follow in this frame: the one nearest the last frame's (within its eye distance), else the largest.</summary>
    public (DetectedFace Face, FaceLandmarks Landmarks) Pick(long frame, IReadOnlyList<(DetectedFace Face, FaceLandmarks Landmarks)> faces)
    {
        if (frame == _lastFrame + 1)
        {
            var near = faces.OrderBy(f => (Centre(f.Landmarks.Points68) - _lastCentre).Length).FirstOrDefault();
            if (near.Landmarks is not null && (Centre(near.Landmarks.Points68) - _lastCentre).Length < _lastEyes)
            {
                return near;
            }
        }

        return faces.OrderByDescending(f => f.Face.Box.Area).FirstOrDefault();
    }

    public void Add(long frame, IReadOnlyList<PointF> dst68, IReadOnlyList<PointF> swap68, double dstLight, double swapLight)
    {
        PointF centre = Centre(dst68);
        bool same = frame == _lastFrame + 1 && (centre - _lastCentre).Length < _lastEyes && _runs.Count > 0;
        if (!same)
        {
            _runs.Add([]);
        }

        _runs[^1].Add((dst68, swap68, dstLight, swapLight));
        (_lastFrame, _lastCentre, _lastEyes) = (frame, centre, new FaceLandmarks([], dst68, 1).InterOcularDistance);
    }

    public TemporalMetricsReport Measure() => new(
        Weighted(r => LandmarkMetrics.Jitter(r.Select(s => s.Swap).ToList())),
        Weighted(r => LandmarkMetrics.Jitter(r.Select(s => s.Dst).ToList())),
        Weighted(r => TemporalMetrics.Flicker(r.Select(s => s.SwapLight).ToList())),
        Weighted(r => TemporalMetrics.Flicker(r.Select(s => s.DstLight).ToList())));

    // Each run counts by the number of frames it has a second difference for.
    private double Weighted(Func<List<(IReadOnlyList<PointF> Dst, IReadOnlyList<PointF> Swap, double DstLight, double SwapLight)>, double> metric)
    {
        double sum = 0, weight = 0;
        foreach (var run in _runs.Where(r => r.Count >= 3))
        {
            sum += metric(run) * (run.Count - 2);
            weight += run.Count - 2;
        }

        return weight > 0 ? sum / weight : 0;
    }

    private static PointF Centre(IReadOnlyList<PointF> p) => new(p.Average(q => q.X), p.Average(q => q.Y));
}
