using System.Text.Json;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// How swapped faces are put back into the frame (one record behind the CLI flags, job files and host forms).
/// Defaults are DeepFaceLab's: overlay, dst mask, rct colour transfer, no erode or blur.
/// </summary>
public sealed record MergeSettings
{
    /// <summary>
    /// overlay (blend the masked prediction in), hist-match (overlay after matching the face's histograms to the dst
    /// face), seamless (Poisson blending of the face into the frame), seamless-hist-match, or raw-rgb (paste the whole
    /// predicted square), or raw-predict (output the predicted face square itself, at the model's resolution).
    /// </summary>
    public string Mode { get; init; } = "overlay";

    /// <summary>
    /// full | dst | learned-prd | learned-dst | learned-prd*learned-dst | learned-prd+learned-dst, and with a trained
    /// XSeg model xseg-prd | xseg-dst | xseg-prd*xseg-dst | learned-prd*learned-dst*xseg-prd*xseg-dst.
    /// </summary>
    public string MaskMode { get; init; } = "dst";

    /// <summary>Shrinks (positive) or grows (negative) the mask, -400..400, in pixels of a 256-px face.</summary>
    public int ErodeMask { get; init; }

    /// <summary>Feathers the mask edge, 0..400, in pixels of a 256-px face.</summary>
    public int BlurMask { get; init; }

    /// <summary>Colour transfer plugin name, or none.</summary>
    public string Color { get; init; } = "rct";

    /// <summary>Scales the face crop, -50..50 percent (DeepFaceLab's face scale).</summary>
    public int FaceScale { get; init; }

    /// <summary>Blurs the face along its own motion between frames, 0..100 (DFL's motion blur power).</summary>
    public int MotionBlur { get; init; }

    /// <summary>Sharpen filter: box or gaussian.</summary>
    public string Sharpen { get; init; } = "gaussian";

    /// <summary>Sharpens (positive) or softens (negative) the predicted face, -100..100.</summary>
    public int SharpenAmount { get; init; }

    /// <summary>Median denoise of the predicted face, 0..500 (each 100 one pass).</summary>
    public int Denoise { get; init; }

    /// <summary>Down-and-up bicubic rescale of the face, 0..100, to match soft footage.</summary>
    public int BicubicDegrade { get; init; }

    /// <summary>Blends in a 256-colour version of the face, 0..100, to match low-bit-depth footage.</summary>
    public int ColorDegrade { get; init; }

    public string Detector { get; init; } = "blazeface";

    public string Landmarker { get; init; } = "facemesh";

    public double Smooth { get; init; } = 1.0;

    /// <summary>Run the full detector every n-th frame (faces are tracked in between; a lost face triggers a detection at once).</summary>
    public int DetectEvery { get; init; } = 10;

    /// <summary>Video codec for a video output: h264, h265, prores4444, ffv1.</summary>
    public string Codec { get; init; } = "h264";

    public int Crf { get; init; } = 18;

    public static readonly string[] Modes = ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb", "raw-predict"];

    public static readonly string[] MaskModes = ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst",
        "xseg-prd", "xseg-dst", "xseg-prd*xseg-dst", "learned-prd*learned-dst*xseg-prd*xseg-dst"];

    /// <summary>Settings from a JSON file (camelCase names, any subset; the rest keep their defaults).</summary>
    public static MergeSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserErrorException($"{path}: merge settings file not found.");
        }

        try
        {
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
            MergeSettings settings = JsonSerializer.Deserialize<MergeSettings>(File.ReadAllText(path), options)
                ?? throw new UserErrorException($"{path}: empty merge settings.");
            settings.Validate();
            return settings;
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{path}: not valid merge settings ({ex.Message}).");
        }
    }

    public void Validate()
    {
        if (!Modes.Contains(Mode))
        {
            throw new UserErrorException($"--mode {Mode}: use {string.Join(", ", Modes)}.");
        }

        if (!MaskModes.Contains(MaskMode))
        {
            throw new UserErrorException($"--mask-mode {MaskMode}: use {string.Join(", ", MaskModes)}.");
        }

        if (ErodeMask is < -400 or > 400 || BlurMask is < 0 or > 400 || FaceScale is < -50 or > 50)
        {
            throw new UserErrorException("--erode must be -400..400, --blur 0..400, --face-scale -50..50.");
        }

        if (MotionBlur is < 0 or > 100 || SharpenAmount is < -100 or > 100 || Denoise is < 0 or > 500 || BicubicDegrade is < 0 or > 100 || ColorDegrade is < 0 or > 100)
        {
            throw new UserErrorException("--motion-blur must be 0..100, --sharpen-amount -100..100, --denoise 0..500, --bicubic-degrade and --color-degrade 0..100.");
        }

        if (!Effects.Sharpen.Modes.Contains(Sharpen))
        {
            throw new UserErrorException($"--sharpen {Sharpen}: use {string.Join(" or ", Effects.Sharpen.Modes)}.");
        }

        if (Codec is not ("h264" or "h265" or "prores4444" or "ffv1"))
        {
            throw new UserErrorException($"--codec {Codec}: use h264, h265, prores4444 or ffv1.");
        }
    }
}
