using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Facesets.Dfl;

/// <summary>
/// Converts DeepFaceLab aligned JPEGs (metadata: a pickled dict in APP15) into our faceset format without
/// re-encoding the pixels: DFL's segment is dropped and ours inserted. Landmarks and the image-to-face matrix
/// are copied exactly (float32 values survive the JSON round trip). XSeg polygons come along as mask polygons.
/// </summary>
public static class DflImporter
{
    public sealed record Result(string Output, int Imported, IReadOnlyList<string> Skipped);

    public static Result Import(string folder, string output)
    {
        folder = Path.GetFullPath(folder);
        output = Path.GetFullPath(output);
        if (!Directory.Exists(folder))
        {
            throw new MediaException($"{folder}: folder not found.");
        }

        if (File.Exists(Path.Combine(output, FaceSetIndex.FileName)))
        {
            throw new UserErrorException($"{output} already holds a faceset. Choose another --output folder, or delete it first.");
        }

        string work = output + ".partial";
        Directory.CreateDirectory(work);
        var entries = new List<FaceSetEntry>();
        var skipped = new List<string>();
        string faceType = "wf";
        int size = 0;
        foreach (string file in Directory.EnumerateFiles(folder).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg").Order(StringComparer.Ordinal))
        {
            byte[] jpeg = File.ReadAllBytes(file);
            AlignedFaceMetadata metadata;
            try
            {
                metadata = ToMetadata(ReadDflDict(jpeg), Path.GetFileName(file), ImageSize(jpeg));
            }
            catch (Exception ex) when (ex is PickleException or InvalidDataException or KeyNotFoundException or InvalidCastException or FormatException)
            {
                skipped.Add($"{file}: {ex.Message}");
                continue;
            }

            byte[] ours = JpegSegments.Embed(StripApp15(jpeg), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(metadata, AlignedFaceFile.Json));
            string name = Path.GetFileName(file);
            AtomicFile.WriteAllBytes(Path.Combine(work, name), ours);
            entries.Add(FaceSet.EntryFor(name, metadata));
            faceType = metadata.FaceType;
            size = metadata.Size;
        }

        if (entries.Count == 0)
        {
            Directory.Delete(work, recursive: true);
            throw new MediaException($"{folder}: no DeepFaceLab aligned faces could be read.{(skipped.Count > 0 ? " First problem: " + skipped[0] : "")}");
        }

        FaceSet.WriteIndex(work, new FaceSetIndex(FaceSetIndex.CurrentVersion, faceType, size, DateTimeOffset.UtcNow, entries));
        if (Directory.Exists(output))
        {
            Directory.Delete(output);
        }

        Directory.Move(work, output);
        return new Result(output, entries.Count, skipped);
    }

    /// <summary>The dict in DFL's APP15 segment(s).</summary>
    public static Dictionary<object, object?> ReadDflDict(byte[] jpeg)
    {
        using var payload = new MemoryStream();
        foreach (var s in JpegSegments.ReadSegments(jpeg).Where(s => s.Marker == JpegSegments.App15))
        {
            payload.Write(jpeg, s.Start + 4, s.End - s.Start - 4);
        }

        if (payload.Length == 0)
        {
            throw new InvalidDataException("no DeepFaceLab metadata (APP15) in this file");
        }

        return SafePickle.Load(payload.ToArray()) as Dictionary<object, object?> ?? throw new InvalidDataException("DeepFaceLab metadata is not a dict");
    }

    public static AlignedFaceMetadata ToMetadata(Dictionary<object, object?> d, string fileName, int size)
    {
        float[] lm = ((NdArray)d["landmarks"]!).ToFloats();
        float[] src = d.TryGetValue("source_landmarks", out object? s) && s is NdArray sa ? sa.ToFloats() : lm;
        double[] mat = ((NdArray)d["image_to_face_mat"]!).ToDoubles();
        float[] rect = d.TryGetValue("source_rect", out object? r) && r is IEnumerable<object?> rs
            ? rs.Select(v => Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : [0, 0, 0, 0];
        string source = d.TryGetValue("source_filename", out object? f) && f is string sf ? sf : fileName;
        long frame = long.TryParse(Path.GetFileNameWithoutExtension(source), out long n) && n > 0 ? n - 1 : 0; // DFL numbers frames from 00001
        return new AlignedFaceMetadata
        {
            FaceType = FaceTypeOf(d.TryGetValue("face_type", out object? t) ? t as string : null),
            Size = size,
            Landmarks68 = Pairs(lm),
            SourceLandmarks68 = Pairs(src),
            SourceFile = source,
            SourceClip = "dfl",
            FrameIndex = frame,
            SourceRect = rect.Length == 4 ? [rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]] : [0, 0, 0, 0],
            ImageToFace = mat,
            SourceSize = [0, 0], // DFL does not record it
            MaskPolygons = Polygons(d.GetValueOrDefault("seg_ie_polys")),
        };
    }

    private static string FaceTypeOf(string? dfl) => dfl switch
    {
        "half_face" => "h",
        "midfull_face" => "mf",
        "full_face" or "full_face_no_align" => "f",
        "whole_face" => "wf",
        "head" or "head_no_align" => "head",
        _ => throw new FormatException($"unknown DeepFaceLab face type '{dfl}'"),
    };

    private static float[][] Pairs(float[] flat) => Enumerable.Range(0, flat.Length / 2).Select(i => new[] { flat[2 * i], flat[(2 * i) + 1] }).ToArray();

    // DFL stores SegIEPolys.dump(): {"polys": [{"type": 1 include / 0 exclude, "pts": [[x, y], ...]}]}
    private static List<MaskPolygon>? Polygons(object? value)
    {
        if (value is not Dictionary<object, object?> d || d.GetValueOrDefault("polys") is not List<object?> polys)
        {
            return null;
        }

        var result = new List<MaskPolygon>();
        foreach (Dictionary<object, object?> p in polys.OfType<Dictionary<object, object?>>())
        {
            float[][] pts = p.GetValueOrDefault("pts") switch
            {
                NdArray a => Pairs(a.ToFloats()),
                List<object?> l => l.OfType<IEnumerable<object?>>().Select(xy => xy.Select(v => Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray(),
                _ => [],
            };
            result.Add(new MaskPolygon(Convert.ToInt64(p.GetValueOrDefault("type") ?? 1L, System.Globalization.CultureInfo.InvariantCulture) == 1, pts));
        }

        return result.Count > 0 ? result : null;
    }

    private static byte[] StripApp15(byte[] jpeg)
    {
        using var output = new MemoryStream(jpeg.Length);
        int at = 0;
        foreach (var s in JpegSegments.ReadSegments(jpeg).Where(s => s.Marker == JpegSegments.App15))
        {
            output.Write(jpeg, at, s.Start - at);
            at = s.End;
        }

        output.Write(jpeg, at, jpeg.Length - at);
        return output.ToArray();
    }

    // Width from the SOF segment (aligned faces are square).
    private static int ImageSize(byte[] jpeg)
    {
        foreach (var s in JpegSegments.ReadSegments(jpeg))
        {
            if (s.Marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (jpeg[s.Start + 7] << 8) | jpeg[s.Start + 8];
            }
        }

        throw new InvalidDataException("no frame header in the JPEG");
    }
}
