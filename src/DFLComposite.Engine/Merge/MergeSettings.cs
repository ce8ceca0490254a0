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
    /// predicted square).
    /// </summary>
    public string Mode { get; init; } = "overlay";

    /// <summary>full | dst | learned-prd | learned-dst | learned-prd*learned-dst | learned-prd+learned-dst.</summary>
    public string MaskMode { get; init; } = "dst";

    /// <summary>Shrinks (positive) or grows (negative) the mask, -400..400, in pixels of a 256-px face.</summary>
    public int ErodeMask { get; init; }

    /// <summary>Feathers the mask edge, 0..400, in pixels of a 256-px face.</summary>
    public int BlurMask { get; init; }

    /// <summary>Colour transfer plugin name, or none.</summary>
    public string Color { get; init; } = "rct";

    /// <summary>Scales the face crop, -50..50 percent (DeepFaceLab's face scale).</summary>
    public int FaceScale { get; init; }

    public string Detector { get; init; } = "blazeface";

    public string Landmarker { get; init; } = "facemesh";

    public double Smooth { get; init; } = 1.0;

    /// <summary>Run the full detector every n-th frame (faces are tracked in between; a lost face triggers a detection at once).</summary>
    public int DetectEvery { get; init; } = 10;

    /// <summary>Video codec for a video output: h264, h265, prores4444, ffv1.</summary>
    public string Codec { get; init; } = "h264";

    public int Crf { get; init; } = 18;

    public static readonly string[] Modes = ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb"];

    public static readonly string[] MaskModes = ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst"];

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

        if (Codec is not ("h264" or "h265" or "prores4444" or "ffv1"))
        {
            throw new UserErrorException($"--codec {Codec}: use h264, h265, prores4444 or ffv1.");
        }
    }
}
