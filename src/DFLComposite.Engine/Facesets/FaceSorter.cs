using DFLComposite.Faces;

namespace DFLComposite.Engine.Facesets;

/// <summary>The orders <c>dflc sort --by</c> offers (DeepFaceLab's sort methods).</summary>
public enum SortMethod
{
    Blur,
    MotionBlur,
    Yaw,
    Pitch,
    Hist,
    Brightness,
    Hue,
    FaceSize,
    Final,
}

/// <summary>Orders a faceset by a measure; for <see cref="SortMethod.Final"/>, picks the best varied N.</summary>
public static class FaceSorter
{
    public static SortMethod Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "blur" => SortMethod.Blur,
        "motion-blur" or "motion_blur" => SortMethod.MotionBlur,
        "yaw" => SortMethod.Yaw,
        "pitch" => SortMethod.Pitch,
        "hist" => SortMethod.Hist,
        "brightness" => SortMethod.Brightness,
        "hue" => SortMethod.Hue,
        "face-size" or "face_size" => SortMethod.FaceSize,
        "final" => SortMethod.Final,
        _ => throw new UserErrorException($"Unknown sort '{text}'. Use blur, motion-blur, yaw, pitch, hist, brightness, hue, face-size or final."),
    };

    /// <summary>The faces in the new order, and (for final) the ones left out.</summary>
    /// <param name="damaged">Collects faces that cannot be read (they are left out of both lists); null stops at the first.</param>
    public static (IReadOnlyList<FaceSetEntry> Ordered, IReadOnlyList<FaceSetEntry> Retired) Sort(
        FaceSet set, SortMethod by, int finalCount = 0, IProgress<double>? progress = null, ICollection<DamagedFace>? damaged = null)
    {
        IReadOnlyList<FaceSetEntry> faces = set.Faces;
        switch (by)
        {
            case SortMethod.Yaw:
                return (faces.OrderBy(f => f.Yaw).ToArray(), []);
            case SortMethod.Pitch:
                return (faces.OrderBy(f => f.Pitch).ToArray(), []);
            case SortMethod.FaceSize:
                return (faces.OrderByDescending(f => FaceSize(set, f)).ToArray(), []);
            case SortMethod.Final:
                return FinalSelection.Select(set, Measure.All(set, progress, damaged), finalCount);
        }

        Measure[] m = Measure.All(set, progress, damaged);
        IEnumerable<Measure> ordered = by switch
        {
            SortMethod.Blur => m.OrderByDescending(x => x.Sharpness),
            SortMethod.MotionBlur => m.OrderBy(x => x.MotionBlur),
            SortMethod.Brightness => m.OrderByDescending(x => x.Brightness),
            SortMethod.Hue => m.OrderBy(x => x.Hue),
            SortMethod.Hist => HistogramChain(m),
            _ => throw new ArgumentOutOfRangeException(nameof(by)),
        };
        return (ordered.Select(x => x.Entry).ToArray(), []);
    }

    // Greedy chain: each next face is the one whose histogram is closest to the last, so similar faces sit together.
    private static IEnumerable<Measure> HistogramChain(Measure[] m)
    {
        var left = m.ToList();
        Measure current = left[0];
        left.RemoveAt(0);
        yield return current;
        while (left.Count > 0)
        {
            int best = 0;
            double bestDistance = double.MaxValue;
            for (int i = 0; i < left.Count; i++)
            {
                double d = Measure.HistDistance(current.Histogram, left[i].Histogram);
                if (d < bestDistance)
                {
                    (best, bestDistance) = (i, d);
                }
            }

            current = left[best];
            left.RemoveAt(best);
            yield return current;
        }
    }

    private static float FaceSize(FaceSet set, FaceSetEntry f)
    {
        float[] rect = AlignedFaceFile.ReadMetadata(set.PathOf(f)).SourceRect;
        return rect[2] * rect[3];
    }
}

/// <summary>Image measures of one face, computed once for sorting and selection.</summary>
public sealed record Measure(FaceSetEntry Entry, double Sharpness, double MotionBlur, double Brightness, double Hue, float[] Histogram, ulong Hash)
{
    /// <param name="damaged">Collects faces that cannot be read, which are left out; when null, the first one stops the
    /// run with a <see cref="BadInputException"/> naming it.</param>
    public static Measure[] All(FaceSet set, IProgress<double>? progress = null, ICollection<DamagedFace>? damaged = null)
    {
        var result = new Measure?[set.Faces.Count];
        var bad = new System.Collections.Concurrent.ConcurrentBag<DamagedFace>();
        int done = 0;
        Parallel.For(0, result.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            FaceSetEntry e = set.Faces[i];
            AlignedFace face;
            try
            {
                face = AlignedFaceFile.Read(set.PathOf(e));
            }
            catch (Exception ex) when (ex is Media.MediaException or InvalidDataException or IOException or OpenCvSharp.OpenCVException)
            {
                bad.Add(new DamagedFace(e, ex.Message));
                return;
            }

            (double brightness, double hue) = FaceMeasures.BrightnessHue(face.Image, face.Metadata);
            result[i] = new Measure(
                e,
                FaceMeasures.Sharpness(face.Image, face.Metadata),
                FaceMeasures.MotionBlur(face.Image, face.Metadata),
                brightness,
                hue,
                FaceMeasures.Histogram(face.Image, face.Metadata),
                FaceMeasures.DHash(face.Image));
            progress?.Report((double)Interlocked.Increment(ref done) / result.Length);
        });
        if (!bad.IsEmpty)
        {
            if (damaged is null)
            {
                DamagedFace first = bad.OrderBy(d => d.Entry.File, StringComparer.Ordinal).First();
                throw new BadInputException($"{set.PathOf(first.Entry)} is damaged ({first.Problem}); {bad.Count} face(s) cannot be read. Remove them, or re-extract.");
            }

            foreach (DamagedFace d in bad.OrderBy(d => d.Entry.File, StringComparer.Ordinal))
            {
                damaged.Add(d);
            }
        }

        return result.OfType<Measure>().ToArray();
    }

    /// <summary>Bhattacharyya-style distance of two L1-normalised histograms (0 = same).</summary>
    public static double HistDistance(float[] a, float[] b)
    {
        double bc = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bc += Math.Sqrt(a[i] * b[i]);
        }

        return Math.Sqrt(Math.Max(0, 1 - bc));
    }
}

/// <summary>A face file that cannot be read, and why (reported by name, never an aggregate error).</summary>
public sealed record DamagedFace(FaceSetEntry Entry, string Problem);
