using System.Text.Json.Serialization;
using DFLComposite.Engine.Settings;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Everything extraction can be told, as one JSON-serialisable record (the CLI flags, job files and host forms all
/// fill this). Defaults follow DeepFaceLab: whole face, 512 px, JPEG quality 90.
/// </summary>
public sealed record ExtractSettings : ISettingsRules
{
    [JsonConverter(typeof(FaceTypeJsonConverter))]
    [Setting("How much of the head each aligned face covers: half, mid-half, full, whole face (with forehead) or head.", Choices = ["h", "mf", "f", "wf", "head"])]
    public FaceType FaceType { get; init; } = FaceType.WholeFace;

    [Setting("Side of the aligned face image in pixels (DeepFaceLab uses 256-768).", Min = 64, Max = 2048)]
    public int Size { get; init; } = 512;

    [Setting("Face detector plugin.", Plugin = typeof(IFaceDetector))]
    public string Detector { get; init; } = "blazeface";

    [Setting("Landmarker plugin.", Plugin = typeof(ILandmarker))]
    public string Landmarker { get; init; } = "facemesh";

    [Setting("Skip faces whose detector box is narrower than this many source pixels.", Min = 8, Max = 8192)]
    public int MinFace { get; init; } = 32;

    [Setting("Keep at most this many faces per frame, largest first (0 = all).", Min = 0, Max = 1000)]
    public int MaxFaces { get; init; }

    [Setting("Use every n-th video frame.", Min = 1, Max = 100000)]
    public int Every { get; init; } = 1;

    [Setting("Use video frames at this rate instead (original frame numbers are kept).", Min = 0.001, Max = 1000)]
    public double? Fps { get; init; }

    [Setting("JPEG quality of the face files.", Min = 1, Max = 100)]
    public int JpegQuality { get; init; } = 90;

    [Setting("Write lossless PNG face files instead of JPEG.")]
    public bool Png { get; init; }

    [Setting("Temporal landmark smoothing for video (0 = off).", Min = 0, Max = 10)]
    public double Smooth { get; init; } = 1.0;

    [Setting("In video, run the detector every n-th used frame and track faces in between (1 = every frame).", Min = 1, Max = 1000)]
    public int DetectEvery { get; init; } = 5;

    [Setting("Detector confidence threshold.", Min = 0.01, Max = 1)]
    public float MinScore { get; init; } = 0.5f;

    /// <summary>
    /// Photos of the one person to keep (full paths); faces of anyone else are skipped. Null keeps everyone. Left out of
    /// the JSON when null so settings files of runs without it are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Setting("Photo(s) of the one person to keep (its largest face); faces of anyone else are skipped.", Flag = "--reference", Path = PathRole.Input)]
    public IReadOnlyList<string>? References { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Setting("Identity distance below which a face is the reference person (default: the embedder's, 0.6; lower is stricter).", Min = 0.01, Max = 4)]
    public float? ReferenceThreshold { get; init; }

    public IEnumerable<FieldError> Check()
    {
        if (ReferenceThreshold is not null && References is not { Count: > 0 })
        {
            yield return new FieldError("referenceThreshold", "needs reference photos (references)");
        }
    }

    /// <summary>Throws <see cref="JobValidationException"/> naming each bad field.</summary>
    public void Validate() => SettingsValidator.Validate(this);
}
