namespace DFLComposite.Engine.Facesets;

/// <summary>
/// DeepFaceLab's "final" sort: keep the best N faces with the most variety. Faces are binned by yaw so every
/// head angle is represented; within a bin the blurriest half is dropped, then faces are picked one at a time,
/// each the one least like those already picked (histogram distance), sharpest first on ties.
/// </summary>
public static class FinalSelection
{
    private const int YawBins = 32;

    public static (IReadOnlyList<FaceSetEntry> Kept, IReadOnlyList<FaceSetEntry> Retired) Select(FaceSet set, Measure[] measures, int count)
    {
        if (count <= 0)
        {
            throw new UserErrorException("sort --by final needs --count, the number of faces to keep.");
        }

        if (count >= measures.Length)
        {
            return (measures.OrderBy(m => m.Entry.Yaw).Select(m => m.Entry).ToArray(), []);
        }

        float min = measures.Min(m => m.Entry.Yaw), max = measures.Max(m => m.Entry.Yaw);
        float width = Math.Max(1e-6f, (max - min) / YawBins);
        var bins = measures.GroupBy(m => Math.Min(YawBins - 1, (int)((m.Entry.Yaw - min) / width)))
            .OrderBy(g => g.Key)
            .Select(g => g.OrderByDescending(m => m.Sharpness).ToList())
            .ToList();

        // Share the count among bins; a bin with fewer faces than its share passes the rest on.
        var quota = new int[bins.Count];
        int left = count;
        var open = Enumerable.Range(0, bins.Count).ToList();
        while (left > 0 && open.Count > 0)
        {
            int share = Math.Max(1, left / open.Count);
            foreach (int b in open.ToArray())
            {
                int take = Math.Min(Math.Min(share, bins[b].Count - quota[b]), left);
                quota[b] += take;
                left -= take;
                if (quota[b] >= bins[b].Count)
                {
                    open.Remove(b);
                }

                if (left == 0)
                {
                    break;
                }
            }
        }

        var kept = new List<Measure>();
        for (int b = 0; b < bins.Count; b++)
        {
            kept.AddRange(MostVaried(bins[b].Take(Math.Max(quota[b], bins[b].Count / 2)).ToList(), quota[b]));
        }

        var keptSet = kept.Select(k => k.Entry).ToHashSet();
        return (kept.Select(k => k.Entry).ToArray(), measures.Select(m => m.Entry).Where(e => !keptSet.Contains(e)).ToArray());
    }

    private static List<Measure> MostVaried(List<Measure> candidates, int n)
    {
        var picked = new List<Measure>();
        if (n <= 0 || candidates.Count == 0)
        {
            return picked;
        }

        picked.Add(candidates[0]); // the sharpest
        var distance = candidates.Select(c => Measure.HistDistance(c.Histogram, candidates[0].Histogram)).ToArray();
        var used = new bool[candidates.Count];
        used[0] = true;
        while (picked.Count < Math.Min(n, candidates.Count))
        {
            int best = -1;
            for (int i = 0; i < candidates.Count; i++)
            {
                if (!used[i] && (best < 0 || distance[i] > distance[best]))
                {
                    best = i;
                }
            }

            used[best] = true;
            picked.Add(candidates[best]);
            for (int i = 0; i < candidates.Count; i++)
            {
                distance[i] = Math.Min(distance[i], Measure.HistDistance(candidates[i].Histogram, candidates[best].Histogram));
            }
        }

        return picked;
    }
}
