namespace DFLComposite.Engine.Evaluate;

/// <summary>Frame-to-frame stability of a face region's brightness.</summary>
public static class TemporalMetrics
{
    /// <summary>
    /// Flicker: the mean absolute change of the face region's mean brightness (8-bit levels) from the midpoint of the
    /// previous and next frame — a second difference, so a steady fade is not flicker. 0 for fewer than 3 frames.
    /// </summary>
    public static double Flicker(IReadOnlyList<double> regionMeans)
    {
        if (regionMeans.Count < 3)
        {
            return 0;
        }

        double sum = 0;
        for (int t = 1; t < regionMeans.Count - 1; t++)
        {
            sum += Math.Abs(regionMeans[t] - ((regionMeans[t - 1] + regionMeans[t + 1]) / 2));
        }

        return sum / (regionMeans.Count - 2);
    }
}
