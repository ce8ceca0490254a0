using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// What merge and mask jobs share: footage in, frames out (a video, an image, or a folder of one image per frame named
/// by input frame number), optionally only a range of frames and only one person.
/// </summary>
public abstract record FrameJob : JobSpec
{
    public static readonly string[] SequenceFormats = ["png", "png16", "exr"];

    [Setting("Footage: a video or an image.", Short = "-i", Path = PathRole.Input, Required = true)]
    public string Input { get; init; } = "";

    [Setting("A video (.mp4/.mov/.mkv), an image, or a folder for an image sequence.", Short = "-o", Path = PathRole.Output, Required = true)]
    public string Output { get; init; } = "";

    [Setting("Image format of sequence and still outputs: 8-bit PNG, 16-bit PNG, or float EXR (the matte as alpha).", Choices = ["png", "png16", "exr"])]
    public string Format { get; init; } = "png";

    [Setting("Only these frames.", Format = "A-B or A (input frame numbers from 0, inclusive)")]
    public string? Frames { get; init; }

    [Setting("Frames before a range that are tracked but not written, so chunks join seamlessly.", Min = 0, Max = 1000)]
    public int PreRoll { get; init; } = 12;

    [Setting("Photo(s) of the one person to process (its largest face); faces of anyone else are left as they are.", Path = PathRole.Input)]
    public IReadOnlyList<string>? Reference { get; init; }

    [Setting("Identity distance below which a face is the reference person (default: the embedder's, 0.6; lower is stricter).", Min = 0.01, Max = 4)]
    public float? ReferenceThreshold { get; init; }

    /// <summary>The frame range, when one is given (checked by <see cref="Check"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public MergeRange? Range => Frames is null ? null : MergeRange.Parse(Frames, PreRoll);

    /// <summary>The output is a folder of images (no extension, or an existing folder).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool OutputIsFolder => MergeOutputs.IsFolder(Output);

    public override IEnumerable<FieldError> Check()
    {
        if (Frames is not null && !MergeRange.TryParse(Frames, PreRoll, out _))
        {
            yield return new FieldError("frames", $"'{Frames}' is not a frame range; use A-B or A (input frame numbers from 0, inclusive)");
        }

        if (ReferenceThreshold is not null && Reference is not { Count: > 0 })
        {
            yield return new FieldError("referenceThreshold", "needs reference photos (reference)");
        }
    }
}

/// <summary>Swap the faces of footage with a trained model; the output keeps the input's size, frame rate, frame count and audio.</summary>
public sealed record MergeJob : FrameJob
{
    [Setting("Trained swap model workspace (dflc train).", Short = "-w", Path = PathRole.Input, Required = true)]
    public string Workspace { get; init; } = "";

    [Setting("Trained XSeg workspace, for the xseg-* mask modes.", Flag = "--xseg", Path = PathRole.Input)]
    [System.Text.Json.Serialization.JsonPropertyName("xseg")]
    public string? XSeg { get; init; }

    [Setting("Also write the merge mask (matte) as an image sequence into this folder.", Path = PathRole.Output)]
    public string? MaskOutput { get; init; }

    [Setting("Also write dst | prediction | mask | result panels, one PNG per frame with a face, into this folder.", Flag = "--debug", Path = PathRole.Output)]
    public string? DebugOutput { get; init; }

    [Setting("Put the merge mask in the output's alpha channel (image outputs, or codec prores4444).")]
    public bool Alpha { get; init; }

    [Setting("Keyframes: a JSON file of frame -> settings (numbers interpolated, modes held), e.g. {\"0\":{\"erodeMask\":0},\"100\":{\"erodeMask\":40}}.", Path = PathRole.Input)]
    public string? Keyframes { get; init; }

    [SettingsGroup("How faces are put back into the frame.", FileFlag = "--settings")]
    public MergeSettings Settings { get; init; } = new();

    public override IEnumerable<FieldError> Check()
    {
        foreach (FieldError e in base.Check())
        {
            yield return e;
        }

        if (Settings.NeedsXSeg && XSeg is null)
        {
            yield return new FieldError("xseg", $"mask mode {Settings.MaskMode} needs a trained XSeg model: give its workspace (dflc xseg train)");
        }

        if (Settings.Mode == "raw-predict" && (Alpha || MaskOutput is not null))
        {
            yield return new FieldError(Alpha ? "alpha" : "maskOutput", "raw-predict writes the predicted face squares, which have no merge mask; leave it out");
        }
    }
}

/// <summary>A face matte for any footage from a trained XSeg model, no swap; the output keeps the input's size and frame count.</summary>
public sealed record MaskJob : FrameJob
{
    [Setting("Trained XSeg workspace (dflc xseg train).", Short = "-w", Path = PathRole.Input, Required = true)]
    public string Workspace { get; init; } = "";

    [SettingsGroup("How the matte is found and shaped.",
        Exclude = ["mode", "maskMode", "color", "faceScale", "motionBlur", "sharpen", "sharpenAmount", "denoise", "bicubicDegrade", "colorDegrade", "codec", "crf"])]
    public MergeSettings Settings { get; init; } = new();

    /// <summary>
    /// The settings the merge machinery runs a matte with: the XSeg mask of the dst face, no colour work, and a codec
    /// that fits the output (.mov: prores 4444 with the matte as alpha; .mkv/.avi: lossless ffv1; else h264 at crf 0).
    /// </summary>
    public MergeSettings MatteSettings()
    {
        string ext = Path.GetExtension(Output).ToLowerInvariant();
        return Settings with
        {
            Mode = "overlay", MaskMode = "xseg-dst", Color = MergeSettings.NoColor, Crf = 0,
            Codec = ext == ".mov" ? "prores4444" : ext is ".mkv" or ".avi" ? "ffv1" : "h264",
        };
    }
}
