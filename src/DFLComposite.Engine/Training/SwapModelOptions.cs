using System.Text.Json.Serialization;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Training;

/// <summary>
/// The structural options of a swap model: fixed when the model is created, stored with it, and compared on
/// resume (changing one on an existing model is an error). Defaults are DeepFaceLab's SAEHD defaults.
/// </summary>
public sealed record SwapModelOptions
{
    /// <summary>Model plugin name (saehd, quick96, ...).</summary>
    public string Model { get; init; } = "saehd";

    /// <summary>Face resolution in pixels: 64-640, a multiple of 16 (32 for -d architectures).</summary>
    public int Resolution { get; init; } = 128;

    [JsonConverter(typeof(Settings.FaceTypeJsonConverter))]
    public FaceType FaceType { get; init; } = FaceType.Full;

    /// <summary>df or liae, with optional -u (pixel-normalised, better likeness) and -d (double resolution) flags.</summary>
    public string Archi { get; init; } = "liae-ud";

    public int AeDims { get; init; } = 256;

    public int EDims { get; init; } = 64;

    public int DDims { get; init; } = 64;

    public int DMaskDims { get; init; } = 22;

    public string BaseArchi => Archi.Split('-')[0];

    public bool IsU => Archi.Contains('-') && Archi.Split('-')[1].Contains('u');

    public bool IsD => Archi.Contains('-') && Archi.Split('-')[1].Contains('d');

    /// <summary>The options that cannot change once a model exists, by JSON name, with their values (for error messages).</summary>
    public IEnumerable<(string Name, object Value)> Structural() =>
    [
        ("model", Model), ("resolution", Resolution), ("faceType", FaceType.ShortName()), ("archi", Archi),
        ("aeDims", AeDims), ("eDims", EDims), ("dDims", DDims), ("dMaskDims", DMaskDims),
    ];
}
