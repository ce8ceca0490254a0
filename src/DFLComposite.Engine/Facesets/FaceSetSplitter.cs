using System.Text.Json;
using DFLComposite.Engine.IO;

namespace DFLComposite.Engine.Facesets;

/// <summary>The train/validation/test lists of a faceset (<c>split.json</c>).</summary>
public sealed record FaceSetSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Val, IReadOnlyList<string> Test, int Seed, int SegmentFrames)
{
    public const string FileName = "split.json";

    public static FaceSetSplit? Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<FaceSetSplit>(File.ReadAllBytes(path), AlignedFaceFile.Json) : null;
    }
}

/// <summary>
/// Splits a faceset deterministically into train/val/test so that near-identical frames never straddle two
/// splits: faces are grouped by source clip, and a long clip is cut into segments of consecutive frames
/// (<c>segmentFrames</c>), each segment going wholly to one split. Groups are shuffled with a fixed seed and
/// dealt out until each split has its share of faces.
/// </summary>
public static class FaceSetSplitter
{
    public static FaceSetSplit Split(FaceSet set, double train, double val, double test, int seed = 1, int segmentFrames = 30)
    {
        double total = train + val + test;
        if (train < 0 || val < 0 || test < 0 || total <= 0)
        {
            throw new UserErrorException("--train, --val and --test must be non-negative and not all zero.");
        }

        var groups = set.Faces
            .GroupBy(f => (f.SourceClip, Segment: f.FrameIndex / Math.Max(1, segmentFrames)))
            .OrderBy(g => g.Key.SourceClip, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Segment)
            .Select(g => g.Select(f => f.File).Order(StringComparer.Ordinal).ToArray())
            .ToList();
        var rng = new Random(seed);
        for (int i = groups.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }

        int n = set.Faces.Count;
        double[] target = [train / total * n, val / total * n, test / total * n];
        var lists = new List<string>[] { [], [], [] };
        foreach (string[] group in groups)
        {
            // Give the group to the split furthest below its target share.
            int k = Enumerable.Range(0, 3).Where(i => target[i] > 0).MaxBy(i => (target[i] - lists[i].Count) / target[i]);
            lists[k].AddRange(group);
        }

        var split = new FaceSetSplit(lists[0], lists[1], lists[2], seed, segmentFrames);
        AtomicFile.WriteAllBytes(Path.Combine(set.Directory, FaceSetSplit.FileName), JsonSerializer.SerializeToUtf8Bytes(split, AlignedFaceFile.Json));
        return split;
    }
}
