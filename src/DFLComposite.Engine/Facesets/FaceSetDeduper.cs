using System.Numerics;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// Finds near-identical faces (a still shot yields hundreds): a 64-bit difference hash per face, and a face is a
/// duplicate when its hash is within <c>maxDistance</c> bits of a sharper face already kept.
/// </summary>
public static class FaceSetDeduper
{
    public static (IReadOnlyList<FaceSetEntry> Kept, IReadOnlyList<FaceSetEntry> Duplicates) Find(Measure[] measures, int maxDistance = 4)
    {
        var kept = new List<Measure>();
        var duplicates = new List<FaceSetEntry>();
        foreach (Measure m in measures.OrderByDescending(x => x.Sharpness))
        {
            if (kept.Any(k => BitOperations.PopCount(k.Hash ^ m.Hash) <= maxDistance))
            {
                duplicates.Add(m.Entry);
            }
            else
            {
                kept.Add(m);
            }
        }

        var keep = kept.Select(k => k.Entry).ToHashSet();
        return (measures.Select(x => x.Entry).Where(keep.Contains).ToArray(), duplicates);
    }
}
