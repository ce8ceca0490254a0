namespace DFLComposite.Ofx;

/// <summary>Which effect shows a parameter.</summary>
[Flags]
public enum EffectKinds
{
    Swap = 1,
    Matte = 2,
    Both = Swap | Matte,
}

/// <summary>How a parameter is declared to the host and sent to the node.</summary>
public enum ParamKind
{
    Choice,
    Int,
    Double,
    Bool,
    FilePath,
    DirectoryPath,
    PushButton,
}

/// <summary>
/// One parameter. <see cref="Json"/> is both the OFX param name and the JSON name the node receives; settings
/// (<see cref="IsSetting"/>) go into the frame message's "settings" object with MergeSettings' camelCase names,
/// the others are message fields of their own. Numbers use the same range for the value and the slider.
/// </summary>
public sealed record ParamDeclaration(
    string Json, string Label, ParamKind Kind, double Default, double Min, double Max, string[] Choices, string Help,
    string Page, EffectKinds Effects, bool IsSetting)
{
    /// <summary>The default choice's index (choices keep their declared order: the value is the index).</summary>
    public int DefaultIndex => (int)Default;
}

/// <summary>
/// Every parameter of both effects, in one table so it can be checked against the engine's MergeSettings
/// declarations (names, defaults, ranges, choice order). Choices are in a fixed order: a saved project stores the
/// index, so new options may only be appended.
/// </summary>
public static class FaceParams
{
    public const string PageModel = "pageModel";
    public const string PageBlend = "pageBlend";
    public const string PageFinish = "pageFinish";
    public const string PageTracking = "pageTracking";
    public const string PageOutput = "pageOutput";

    public const string Workspace = "workspace";
    public const string XSeg = "xseg";
    public const string Reference = "reference";
    public const string ReloadModel = "reloadModel";
    public const string MaskToAlpha = "maskToAlpha";
    public const string ShowMatte = "showMatte";

    /// <summary>Page name → label, in the order hosts show them.</summary>
    public static readonly (string Name, string Label)[] Pages =
    [
        (PageModel, "Model"), (PageBlend, "Blend"), (PageFinish, "Finish"), (PageTracking, "Tracking"), (PageOutput, "Output"),
    ];

    public static readonly string[] Modes = ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb"];

    public static readonly string[] MaskModes =
    [
        "full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst",
        "xseg-prd", "xseg-dst", "xseg-prd*xseg-dst", "learned-prd*learned-dst*xseg-prd*xseg-dst",
    ];

    public static readonly string[] Colors = ["rct", "lct", "mkl", "mkl-m", "idt", "idt-m", "sot-m", "mix-m", "none"];

    public static readonly string[] SharpenModes = ["box", "gaussian"];

    public static readonly ParamDeclaration[] All =
    [
        // Model
        new(Workspace, "Model workspace", ParamKind.DirectoryPath, 0, 0, 0, [], "The folder `dflc train -w` trained the swap model in (holds model.dflc).", PageModel, EffectKinds.Swap, false),
        new(XSeg, "XSeg workspace", ParamKind.DirectoryPath, 0, 0, 0, [], "The folder `dflc xseg train -w` trained the XSeg segmentation model in. Needed by the xseg mask modes and by Face Matte.", PageModel, EffectKinds.Both, false),
        new(Reference, "Reference photo", ParamKind.FilePath, 0, 0, 0, [], "A photo of the person to process; other people's faces are left untouched. Empty: every face.", PageModel, EffectKinds.Both, false),
        new(ReloadModel, "Reload model", ParamKind.PushButton, 0, 0, 0, [], "Makes the node load the model files again (after more training).", PageModel, EffectKinds.Both, false),

        // Blend
        new("mode", "Mode", ParamKind.Choice, 0, 0, Modes.Length - 1, Modes, "How the swapped face goes into the frame: overlay (masked blend), hist-match, seamless (Poisson), seamless-hist-match, raw-rgb (the whole predicted square).", PageBlend, EffectKinds.Swap, true),
        new("maskMode", "Mask", ParamKind.Choice, 1, 0, MaskModes.Length - 1, MaskModes, "Which mask cuts the face: full square, dst landmarks hull, the model's learned masks, XSeg's masks, or their products.", PageBlend, EffectKinds.Swap, true),
        new("erodeMask", "Erode mask", ParamKind.Int, 0, -400, 400, [], "Shrinks (positive) or grows (negative) the mask, in pixels of a 256-px face.", PageBlend, EffectKinds.Both, true),
        new("blurMask", "Blur mask", ParamKind.Int, 0, 0, 400, [], "Feathers the mask edge, in pixels of a 256-px face.", PageBlend, EffectKinds.Both, true),
        new("color", "Colour transfer", ParamKind.Choice, 0, 0, Colors.Length - 1, Colors, "Matches the swapped face's colours to the frame's: rct, lct, mkl, mkl-m, idt, idt-m, sot-m, mix-m, or none.", PageBlend, EffectKinds.Swap, true),
        new("faceScale", "Face scale", ParamKind.Int, 0, -50, 50, [], "Scales the face crop, in percent.", PageBlend, EffectKinds.Both, true),

        // Finish
        new("motionBlur", "Motion blur", ParamKind.Int, 0, 0, 100, [], "Blurs the face along its motion between frames (power).", PageFinish, EffectKinds.Swap, true),
        new("sharpen", "Sharpen filter", ParamKind.Choice, 1, 0, SharpenModes.Length - 1, SharpenModes, "The filter Sharpen amount uses: box or gaussian.", PageFinish, EffectKinds.Swap, true),
        new("sharpenAmount", "Sharpen amount", ParamKind.Int, 0, -100, 100, [], "Sharpens (positive) or softens (negative) the predicted face.", PageFinish, EffectKinds.Swap, true),
        new("denoise", "Denoise", ParamKind.Int, 0, 0, 500, [], "Median denoise of the predicted face (each 100 is one pass).", PageFinish, EffectKinds.Swap, true),
        new("bicubicDegrade", "Bicubic degrade", ParamKind.Int, 0, 0, 100, [], "Down-and-up bicubic rescale of the face, to match soft footage.", PageFinish, EffectKinds.Swap, true),
        new("colorDegrade", "Colour degrade", ParamKind.Int, 0, 0, 100, [], "Blends in a 256-colour version of the face, to match low-bit-depth footage.", PageFinish, EffectKinds.Swap, true),

        // Tracking
        new("smooth", "Landmark smoothing", ParamKind.Double, 1.0, 0, 10, [], "Smooths landmarks over time (0 = none). Needs consecutive frames of one session.", PageTracking, EffectKinds.Both, true),
        new("detectEvery", "Detect every", ParamKind.Int, 10, 1, 1000, [], "Runs the full face detector every n-th frame and tracks faces in between.", PageTracking, EffectKinds.Both, true),

        // Output
        new(MaskToAlpha, "Mask to alpha", ParamKind.Bool, 0, 0, 1, [], "Writes the face mask into the output's alpha (RGBA only).", PageOutput, EffectKinds.Swap, false),
        new(ShowMatte, "Show matte", ParamKind.Bool, 0, 0, 1, [], "Shows the matte as a grey picture (copied to R, G and B) instead of the unchanged frame.", PageOutput, EffectKinds.Matte, false),
    ];

    /// <summary>The parameters of one effect, in table order.</summary>
    public static IEnumerable<ParamDeclaration> For(EffectKind kind) =>
        All.Where(p => p.Effects.HasFlag(kind == EffectKind.Swap ? EffectKinds.Swap : EffectKinds.Matte));
}
