using DFLComposite.Faces;

namespace DFLComposite.Plugins.MediaPipe.Detect;

/// <summary>
/// MediaPipe's weighted non-maximum suppression: detections overlapping the best one by more than the
/// IoU threshold are merged into it, box and keypoints averaged by score. Steadier than plain NMS,
/// which matters for video.
/// </summary>
internal static class WeightedNms
{
    public static List<DetectedFace> Apply(IEnumerable<DetectedFace> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<DetectedFace>();
        while (remaining.Count > 0)
        {
            DetectedFace best = remaining[0];
            var cluster = remaining.Where(d => d.Box.IoU(best.Box) > iouThreshold).ToList();
            remaining.RemoveAll(cluster.Contains);
            if (!cluster.Contains(best))
            {
                cluster.Add(best);
                remaining.Remove(best);
            }

            kept.Add(Merge(best, cluster));
        }

        return kept;
    }

    private static DetectedFace Merge(DetectedFace best, List<DetectedFace> cluster)
    {
        float total = cluster.Sum(d => d.Score);
        float x = 0, y = 0, r = 0, b = 0;
        var keypoints = new PointF[best.Keypoints.Count];
        foreach (DetectedFace d in cluster)
        {
            float w = d.Score / total;
            x += d.Box.X * w;
            y += d.Box.Y * w;
            r += d.Box.Right * w;
            b += d.Box.Bottom * w;
            for (int k = 0; k < keypoints.Length; k++)
            {
                keypoints[k] += d.Keypoints[k] * w;
            }
        }

        return new DetectedFace(new RectF(x, y, r - x, b - y), best.Score, keypoints);
    }
}
