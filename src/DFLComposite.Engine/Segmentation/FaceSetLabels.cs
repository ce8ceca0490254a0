using System.Text.Json;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>What a labelling operation did to a faceset.</summary>
public sealed record LabelReport(int Changed, int Unchanged, IReadOnlyList<string> Notes);

/// <summary>
/// XSeg labels of a whole faceset: starting labels from the face mesh, import from mask images or a JSON of
/// polygons, export, and removal. Labels live in each face file's metadata (<c>maskPolygons</c>); only the
/// metadata is rewritten, never the pixels.
/// </summary>
public static class FaceSetLabels
{
    /// <summary>
    /// Gives every face the include polygon of its mesh's face oval. Faces that already have labels keep them
    /// unless <paramref name="overwrite"/>; faces without a 468-point mesh (other landmarkers, DFL imports) are
    /// listed in the notes. With a <paramref name="person"/> segmenter the oval is cut to the pixels it calls person
    /// (drops background where the oval overshoots the head's outline).
    /// </summary>
    public static LabelReport FetchFromMesh(FaceSet set, bool overwrite, IPersonSegmenter? person = null)
    {
        int changed = 0, unchanged = 0;
        var notes = new List<string>();
        foreach (FaceSetEntry entry in set.Faces)
        {
            string path = set.PathOf(entry);
            AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(path);
            if (m.MaskPolygons is { Count: > 0 } && !overwrite)
            {
                unchanged++;
                continue;
            }

            if (MaskLabels.FaceOval(m) is not { } oval)
            {
                notes.Add($"{entry.File}: no 468-point mesh in its metadata (re-extract with --landmarker facemesh, or label it by hand)");
                unchanged++;
                continue;
            }

            List<MaskPolygon> label = person is null ? [oval] : TrimToPerson(oval, AlignedFaceFile.Read(path), person);
            AlignedFaceFile.UpdateMetadata(path, x => x with { MaskPolygons = label });
            changed++;
        }

        return new LabelReport(changed, unchanged, notes);
    }

    private static List<MaskPolygon> TrimToPerson(MaskPolygon oval, AlignedFace face, IPersonSegmenter person)
    {
        int size = face.Metadata.Size;
        using Mat ovalMask = MaskLabels.Rasterise([oval], size, size);
        using Mat personMask = MaskLabels.FromFloats(person.Segment(face.Image), size, size);
        using var both = new Mat();
        Cv2.Threshold(personMask, personMask, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(ovalMask, personMask, both);
        List<MaskPolygon> trimmed = MaskLabels.FromMask(both);
        // A segmenter that sees no person at all (a very dark frame) must not erase the face: keep the oval.
        return trimmed.Count > 0 && Cv2.CountNonZero(both) > Cv2.CountNonZero(ovalMask) / 2 ? trimmed : [oval];
    }

    /// <summary>
    /// Labels faces from mask images (white = face) named like the face files (any image extension) in
    /// <paramref name="folder"/>; a mask of another size is scaled to the face.
    /// </summary>
    public static LabelReport ImportMasks(FaceSet set, string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new MediaException($"{folder}: mask folder not found. Give a folder of mask images named like the face files (white = face).");
        }

        var byStem = Directory.EnumerateFiles(folder).Where(ImageIO.IsImage)
            .GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        int changed = 0, unchanged = 0;
        var notes = new List<string>();
        foreach (FaceSetEntry entry in set.Faces)
        {
            if (!byStem.TryGetValue(Path.GetFileNameWithoutExtension(entry.File), out string? maskFile))
            {
                unchanged++;
                continue;
            }

            using Mat mask = Cv2.ImRead(maskFile, ImreadModes.Grayscale);
            if (mask.Empty())
            {
                throw new MediaException($"{maskFile}: not a readable image. Masks must be PNG/JPEG images, white = face.");
            }

            string path = set.PathOf(entry);
            AlignedFaceFile.UpdateMetadata(path, m =>
            {
                if (mask.Width != m.Size || mask.Height != m.Size)
                {
                    Cv2.Resize(mask, mask, new Size(m.Size, m.Size), interpolation: InterpolationFlags.Linear);
                }

                return m with { MaskPolygons = MaskLabels.FromMask(mask) };
            });
            changed++;
        }

        if (changed == 0)
        {
            throw new MediaException($"{folder}: no mask image is named like a face of {set.Directory} (e.g. {Path.GetFileNameWithoutExtension(set.Faces[0].File)}.png).");
        }

        return new LabelReport(changed, unchanged, notes);
    }

    /// <summary>
    /// Labels faces from a JSON object mapping face file names to polygon lists in face pixels:
    /// <c>{ "d0_000042_0.jpg": [ { "include": true, "points": [[x, y], ...] } ] }</c> (what <see cref="Export"/> writes).
    /// </summary>
    public static LabelReport ImportJson(FaceSet set, string jsonFile)
    {
        Dictionary<string, List<MaskPolygon>> labels = ReadJson(jsonFile);
        var known = set.Faces.ToDictionary(f => f.File, StringComparer.Ordinal);
        var notes = new List<string>();
        int changed = 0;
        foreach ((string file, List<MaskPolygon> polygons) in labels)
        {
            if (!known.TryGetValue(file, out FaceSetEntry? entry))
            {
                notes.Add($"{file}: not a face of {set.Directory}; skipped");
                continue;
            }

            if (polygons.Any(p => p.Points is null || p.Points.Any(q => q is not { Length: 2 })))
            {
                throw new MediaException($"{jsonFile}: the polygons of {file} need \"points\" as [[x, y], ...] pairs.");
            }

            AlignedFaceFile.UpdateMetadata(set.PathOf(entry), m => m with { MaskPolygons = polygons });
            changed++;
        }

        return new LabelReport(changed, set.Faces.Count - changed, notes);
    }

    /// <summary>Writes every labelled face's polygons as JSON (and, with a folder, each label as a mask PNG).</summary>
    public static int Export(FaceSet set, string jsonFile, string? maskFolder)
    {
        var labels = new SortedDictionary<string, List<MaskPolygon>>(StringComparer.Ordinal);
        if (maskFolder is not null)
        {
            Directory.CreateDirectory(maskFolder);
        }

        foreach (FaceSetEntry entry in set.Faces)
        {
            AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(set.PathOf(entry));
            if (m.MaskPolygons is not { Count: > 0 } polygons)
            {
                continue;
            }

            labels[entry.File] = polygons;
            if (maskFolder is not null)
            {
                using Mat mask = MaskLabels.LabelMask(m);
                AtomicFile.WriteAllBytes(Path.Combine(maskFolder, Path.GetFileNameWithoutExtension(entry.File) + ".png"), MaskLabels.EncodePng(mask));
            }
        }

        AtomicFile.WriteAllBytes(jsonFile, JsonSerializer.SerializeToUtf8Bytes(labels, new JsonSerializerOptions(AlignedFaceFile.Json) { WriteIndented = true }));
        return labels.Count;
    }

    /// <summary>Removes labels and/or predicted masks from every face; returns how many files changed.</summary>
    public static int Remove(FaceSet set, bool labels, bool masks)
    {
        int changed = 0;
        foreach (FaceSetEntry entry in set.Faces)
        {
            string path = set.PathOf(entry);
            AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(path);
            bool hasLabels = labels && m.MaskPolygons is not null, hasMask = masks && m.MaskPng is not null;
            if (hasLabels || hasMask)
            {
                AlignedFaceFile.UpdateMetadata(path, x => x with
                {
                    MaskPolygons = hasLabels ? null : x.MaskPolygons,
                    MaskPng = hasMask ? null : x.MaskPng,
                });
                changed++;
            }
        }

        return changed;
    }

    /// <summary>Files of the facesets whose faces carry at least one include polygon (what XSeg trains on).</summary>
    public static IReadOnlyList<string> LabelledFiles(IEnumerable<FaceSet> sets) =>
        sets.SelectMany(s => s.Faces.Select(s.PathOf))
            .Where(p => AlignedFaceFile.ReadMetadata(p).MaskPolygons?.Any(x => x.Include) == true)
            .ToArray();

    private static Dictionary<string, List<MaskPolygon>> ReadJson(string jsonFile)
    {
        if (!File.Exists(jsonFile))
        {
            throw new MediaException($"{jsonFile}: file not found.");
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, List<MaskPolygon>>>(File.ReadAllBytes(jsonFile), AlignedFaceFile.Json)
                ?? throw new MediaException($"{jsonFile}: empty label file.");
        }
        catch (JsonException ex)
        {
            throw new MediaException($"{jsonFile}: not a label file ({ex.Message}). Expected {{ \"<face file>\": [ {{ \"include\": true, \"points\": [[x, y], ...] }} ] }}.", ex);
        }
    }
}
