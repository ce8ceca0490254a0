using System.Text.Json.Serialization;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Everything <c>dflc extract</c> can be told, as one JSON-serialisable record (the CLI flags, job files and
/// host forms all fill this). Defaults follow DeepFaceLab: whole face, 512 px, JPEG quality 90.
/// </summary>
public sealed record ExtractSettings
{
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public FaceType FaceType { get; init; } = FaceType.WholeFace;

    /// <summary>Side of the aligned face image in pixels.</summary>
    public int Size { get; init; } = 512;

    public string Detector { get; init; } = "blazeface";

    public string Landmarker { get; init; } = "facemesh";

    /// <summary>Faces whose detector box is narrower than this (source pixels) are skipped.</summary>
    public int MinFace { get; init; } = 32;

    /// <summary>Keep at most this many faces per frame, largest first; 0 keeps all.</summary>
    public int MaxFaces { get; init; }

    /// <summary>Use every n-th video frame.</summary>
    public int Every { get; init; } = 1;

    /// <summary>Use frames at this rate instead (keeps original frame numbers); null uses every frame.</summary>
    public double? Fps { get; init; }

    public int JpegQuality { get; init; } = 90;

    public bool Png { get; init; }

    /// <summary>Temporal landmark smoothing strength for video; 0 turns it off.</summary>
    public double Smooth { get; init; } = 1.0;

    /// <summary>In video, run the full detector every n-th used frame (faces are tracked in between); 1 = every frame.</summary>
    public int DetectEvery { get; init; } = 5;

    /// <summary>Detector confidence threshold.</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>
    /// Photos of the one person to keep (<c>--reference</c>, full paths); faces of anyone else are skipped.
    /// Null keeps everyone. Left out of the JSON when null so settings files of runs without it are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? References { get; init; }

    /// <summary>Identity distance below which a face is the reference person; null = the embedder's own threshold.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? ReferenceThreshold { get; init; }

    public void Validate()
    {
        if (Size is < 64 or > 2048)
        {
            throw new UserErrorException($"--size {Size} is out of range; use 64 to 2048 (DeepFaceLab uses 256-768).");
        }

        if (Every < 1)
        {
            throw new UserErrorException("--every must be 1 or more.");
        }

        if (DetectEvery < 1)
        {
            throw new UserErrorException("--detect-every must be 1 or more.");
        }

        if (Fps is <= 0)
        {
            throw new UserErrorException("--fps must be positive.");
        }

        if (JpegQuality is < 1 or > 100)
        {
            throw new UserErrorException("--jpeg-quality must be between 1 and 100.");
        }

        if (Smooth < 0)
        {
            throw new UserErrorException("--smooth must be 0 (off) or positive.");
        }

        if (ReferenceThreshold is { } t && !(t > 0))
        {
            throw new UserErrorException("--reference-threshold must be positive (0.6 is typical; lower is stricter).");
        }

        if (ReferenceThreshold is not null && References is not { Count: > 0 })
        {
            throw new UserErrorException("--reference-threshold needs --reference <image>.");
        }
    }
}
