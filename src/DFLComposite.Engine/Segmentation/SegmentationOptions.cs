using System.Text.Json.Serialization;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// The structural options of a segmentation model: fixed when it is created, stored in its checkpoint and
/// compared on resume. Defaults are DeepFaceLab's XSeg: 256 px whole-face crops, 32 base channels.
/// </summary>
public sealed record SegmentationOptions
{
    /// <summary>Segmentation plugin name (xseg, ...).</summary>
    public string Model { get; init; } = "xseg";

    /// <summary>Side of the square input in pixels (XSeg: a multiple of 64, 64-512).</summary>
    public int Resolution { get; init; } = 256;

    [JsonConverter(typeof(Settings.FaceTypeJsonConverter))]
    public FaceType FaceType { get; init; } = FaceType.WholeFace;

    /// <summary>Channels of the first block; deeper blocks use 2x, 4x, 8x.</summary>
    public int BaseChannels { get; init; } = 32;

    public IEnumerable<(string Name, object Value)> Structural() =>
    [
        ("model", Model), ("resolution", Resolution), ("faceType", FaceType.ShortName()), ("baseChannels", BaseChannels),
    ];
}
