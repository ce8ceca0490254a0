using DFLComposite.Engine.Settings;
using DFLComposite.Faces;
using DFLComposite.Merge;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// How swapped faces are put back into the frame (one record behind the CLI flags, job files, the service's forms and
/// the OFX parameters). Defaults are DeepFaceLab's: overlay, dst mask, rct colour transfer, no erode or blur.
/// </summary>
public sealed record MergeSettings : ISettingsRules
{
    public static readonly string[] Modes = ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb", "raw-predict"];

    public static readonly string[] MaskModes = ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst",
        "xseg-prd", "xseg-dst", "xseg-prd*xseg-dst", "learned-prd*learned-dst*xseg-prd*xseg-dst"];

    public static readonly string[] Codecs = ["h264", "h265", "prores4444", "ffv1"];

    /// <summary>The colour transfer name that means "no transfer".</summary>
    public const string NoColor = "none";

    [Setting("overlay blends the masked prediction in; hist-match matches histograms first; seamless is Poisson blending; raw-rgb pastes the whole predicted square; raw-predict outputs the predicted square itself.",
        Choices = ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb", "raw-predict"])]
    public string Mode { get; init; } = "overlay";

    [Setting("Which mask blends the face: the dst landmark hull, the model's learned masks, or a trained XSeg model's (xseg-* modes need an XSeg workspace).",
        Choices = ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst", "xseg-prd", "xseg-dst", "xseg-prd*xseg-dst", "learned-prd*learned-dst*xseg-prd*xseg-dst"])]
    public string MaskMode { get; init; } = "dst";

    [Setting("Shrink (+) or grow (-) the mask, in pixels of a 256-px face.", Flag = "--erode", Min = -400, Max = 400)]
    public int ErodeMask { get; init; }

    [Setting("Feather the mask edge, in pixels of a 256-px face.", Flag = "--blur", Min = 0, Max = 400)]
    public int BlurMask { get; init; }

    [Setting("Colour transfer of the prediction to the dst face (rct, lct, mkl, mkl-m, idt, idt-m, sot-m, mix-m), or none.", Plugin = typeof(IColorTransfer), Choices = [NoColor])]
    public string Color { get; init; } = "rct";

    [Setting("Scale the face crop, percent (DeepFaceLab's face scale).", Min = -50, Max = 50)]
    public int FaceScale { get; init; }

    [Setting("Blur the face along its own motion between frames (DeepFaceLab's motion blur power).", Min = 0, Max = 100)]
    public int MotionBlur { get; init; }

    [Setting("Sharpen filter.", Choices = ["box", "gaussian"])]
    public string Sharpen { get; init; } = "gaussian";

    [Setting("Sharpen (+) or soften (-) the predicted face.", Min = -100, Max = 100)]
    public int SharpenAmount { get; init; }

    [Setting("Median denoise of the predicted face (each 100 one pass).", Min = 0, Max = 500)]
    public int Denoise { get; init; }

    [Setting("Soften the face by a bicubic down/up scale, to match soft footage.", Min = 0, Max = 100)]
    public int BicubicDegrade { get; init; }

    [Setting("Blend in a 256-colour version of the face, to match low-bit-depth footage.", Min = 0, Max = 100)]
    public int ColorDegrade { get; init; }

    [Setting("Face detector plugin.", Plugin = typeof(IFaceDetector))]
    public string Detector { get; init; } = "blazeface";

    [Setting("Landmarker plugin.", Plugin = typeof(ILandmarker))]
    public string Landmarker { get; init; } = "facemesh";

    [Setting("Temporal landmark smoothing (0 = off).", Min = 0, Max = 10)]
    public double Smooth { get; init; } = 1.0;

    [Setting("Run the full detector every n-th frame; faces are tracked in between and a lost face is looked for at once.", Min = 1, Max = 1000)]
    public int DetectEvery { get; init; } = 10;

    [Setting("Video codec of a video output (h264/h265 are 4:2:0, or 4:4:4 for odd sizes, which 4:2:0 cannot hold).", Choices = ["h264", "h265", "prores4444", "ffv1"])]
    public string Codec { get; init; } = "h264";

    [Setting("Quality of h264/h265 (lower is better, 0 lossless).", Min = 0, Max = 51)]
    public int Crf { get; init; } = 18;

    /// <summary>No colour transfer is asked for.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NoColorTransfer => Color == NoColor;

    /// <summary>The mask mode needs a trained XSeg model.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NeedsXSeg => MaskMode.Contains("xseg", StringComparison.Ordinal);

    public IEnumerable<FieldError> Check() => [];

    /// <summary>Throws <see cref="JobValidationException"/> naming each bad field.</summary>
    public void Validate() => SettingsValidator.Validate(this);
}
