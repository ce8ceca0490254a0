using System.Text.Json.Serialization;

namespace DFLComposite.Faces;

/// <summary>
/// What an aligned face file carries about itself (schema version 1; see docs/faceset-format.md).
/// Points are <c>[x, y]</c> pairs; aligned-space points are in the face image's pixels, source points in
/// the source frame's pixels. <see cref="ImageToFace"/> maps source pixels to face pixels (2x3, row-major).
/// </summary>
public sealed record AlignedFaceMetadata
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>h, mf, f, wf or head.</summary>
    public required string FaceType { get; init; }

    /// <summary>Side of the square face image in pixels.</summary>
    public required int Size { get; init; }

    public required float[][] Landmarks68 { get; init; }

    public float[][]? Landmarks468 { get; init; }

    public required float[][] SourceLandmarks68 { get; init; }

    /// <summary>Source file name as given (path relative to the extract input when possible).</summary>
    public required string SourceFile { get; init; }

    /// <summary>Groups faces that come from one clip or photo (used by split so near-identical frames stay together).</summary>
    public string? SourceClip { get; init; }

    /// <summary>Frame index in the source video (0 for a still image).</summary>
    public long FrameIndex { get; init; }

    /// <summary>Which face of that frame (0 = largest).</summary>
    public int FaceIndex { get; init; }

    /// <summary>Detector box in source pixels: x, y, width, height.</summary>
    public required float[] SourceRect { get; init; }

    public required double[] ImageToFace { get; init; }

    /// <summary>Source frame width and height.</summary>
    public required int[] SourceSize { get; init; }

    public float DetectorScore { get; init; }

    public float LandmarkScore { get; init; }

    /// <summary>Hand-drawn or generated include/exclude polygons in face pixels (XSeg labels).</summary>
    public List<MaskPolygon>? MaskPolygons { get; init; }

    /// <summary>A predicted mask at face resolution, PNG-encoded (8-bit, 255 = face), or null.</summary>
    [JsonPropertyName("mask")]
    public byte[]? MaskPng { get; init; }

    [JsonIgnore]
    public FaceType Type => FaceTypes.Parse(FaceType);

    [JsonIgnore]
    public Affine2D ImageToFaceMap => Affine2D.FromArray(ImageToFace);

    public static float[][] Pack(IEnumerable<PointF> points) => points.Select(p => new[] { p.X, p.Y }).ToArray();

    public static PointF[] Unpack(float[][] points) => points.Select(p => new PointF(p[0], p[1])).ToArray();
}

/// <summary>One XSeg label polygon: include (part of the face) or exclude (an occluder).</summary>
public sealed record MaskPolygon(bool Include, float[][] Points);
