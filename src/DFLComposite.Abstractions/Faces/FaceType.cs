namespace DFLComposite.Faces;

/// <summary>
/// How much of the head an aligned face covers, as DeepFaceLab defines it: half face (h), mid-half (mf),
/// full face (f), whole face (wf, with forehead) and head.
/// </summary>
public enum FaceType
{
    Half,
    MidHalf,
    Full,
    WholeFace,
    Head,
}

public static class FaceTypes
{
    /// <summary>DeepFaceLab's padding around the mean face for each type (fraction of the face diagonal).</summary>
    public static float Padding(this FaceType type) => type switch
    {
        FaceType.Half => 0f,
        FaceType.MidHalf => 0.0675f,
        FaceType.Full => 0.2109375f,
        FaceType.WholeFace => 0.40f,
        FaceType.Head => 0.70f,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The short name users type: h, mf, f, wf, head.</summary>
    public static string ShortName(this FaceType type) => type switch
    {
        FaceType.Half => "h",
        FaceType.MidHalf => "mf",
        FaceType.Full => "f",
        FaceType.WholeFace => "wf",
        FaceType.Head => "head",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static FaceType Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "h" or "half" => FaceType.Half,
        "mf" or "mid_half" or "midhalf" or "mid-half" => FaceType.MidHalf,
        "f" or "full" or "full_face" => FaceType.Full,
        "wf" or "whole_face" or "wholeface" or "whole-face" => FaceType.WholeFace,
        "head" => FaceType.Head,
        _ => throw new FormatException($"Unknown face type '{text}'. Use h, mf, f, wf or head."),
    };
}
