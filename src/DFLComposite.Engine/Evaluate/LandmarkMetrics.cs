using DFLComposite.Faces;

namespace DFLComposite.Engine.Evaluate;

/// <summary>Expression/pose fidelity and temporal stability from 68-point landmarks, in units of the inter-ocular distance.</summary>
public static class LandmarkMetrics
{
    /// <summary>Mean distance between corresponding points, divided by the reference's inter-ocular distance.</summary>
    public static double Error(IReadOnlyList<PointF> points, IReadOnlyList<PointF> reference)
    {
        if (points.Count != reference.Count || points.Count != 68)
        {
            throw new ArgumentException($"Need two sets of 68 points, got {points.Count} and {reference.Count}.");
        }

        double sum = 0;
        for (int i = 0; i < points.Count; i++)
        {
            sum += (points[i] - reference[i]).Length;
        }

        return sum / points.Count / InterOcular(reference);
    }

    /// <summary>
    /// Jitter of a landmark track: how far each point is from the midpoint of its neighbours in the previous and next
    /// frame (a second difference), averaged over points and frames and divided by the inter-ocular distance. Smooth
    /// motion — standing still or moving at a steady speed — scores 0; only frame-to-frame shake counts.
    /// </summary>
    public static double Jitter(IReadOnlyList<IReadOnlyList<PointF>> track)
    {
        if (track.Count < 3)
        {
            return 0;
        }

        double sum = 0;
        int n = 0;
        for (int t = 1; t < track.Count - 1; t++)
        {
            double frame = 0;
            for (int i = 0; i < track[t].Count; i++)
            {
                PointF mid = (track[t - 1][i] + track[t + 1][i]) * 0.5f;
                frame += (track[t][i] - mid).Length;
            }

            sum += frame / track[t].Count / InterOcular(track[t]);
            n++;
        }

        return sum / n;
    }

    private static double InterOcular(IReadOnlyList<PointF> p) => Math.Max(1e-6, new FaceLandmarks([], p, 1).InterOcularDistance);
}
