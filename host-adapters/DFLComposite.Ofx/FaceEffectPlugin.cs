using OpenFX.Net;

namespace DFLComposite.Ofx;

public enum EffectKind
{
    Swap,
    Matte,
}

/// <summary>
/// Face Swap (org.dflcomposite.faceswap) and Face Matte (org.dflcomposite.facematte): descriptions only. Load and
/// Describe touch nothing outside the host (no node connection, no files) so they are cheap and idempotent.
/// </summary>
public sealed class FaceEffectPlugin(EffectKind kind) : ImageEffectPlugin
{
    public const string SwapId = "org.dflcomposite.faceswap";
    public const string MatteId = "org.dflcomposite.facematte";

    private static readonly string[] ClipComponents = [OfxComponents.RGBA, OfxComponents.RGB];

    public EffectKind Kind { get; } = kind;

    public override string Identifier => Kind == EffectKind.Swap ? SwapId : MatteId;

    public override uint VersionMajor => 0;

    public override uint VersionMinor => 1;

    public override void Describe(EffectDescriptor descriptor)
    {
        EffectDescriptor d = descriptor;
        if (Kind == EffectKind.Swap)
        {
            d.SetLabels("Face Swap", "Face Swap", "DFLComposite Face Swap");
            d.SetDescription("Replaces faces with a trained DFLComposite swap model. Frames are processed by the DFLComposite node (dflc serve).");
        }
        else
        {
            d.SetLabels("Face Matte", "Face Matte", "DFLComposite Face Matte");
            d.SetDescription("Writes a face matte (XSeg segmentation) into alpha. Frames are processed by the DFLComposite node (dflc serve).");
        }

        d.SetGrouping("DFLComposite");
        d.SetSupportedContexts(OfxContext.Filter, OfxContext.General);
        d.SetSupportedPixelDepths(OfxBitDepth.Byte, OfxBitDepth.Short, OfxBitDepth.Float);
        d.SetBool(OfxImageEffectProps.SingleInstance, false);
        d.SetBool(OfxImageEffectProps.HostFrameThreading, false);
        d.SetBool(OfxImageEffectProps.SupportsMultiResolution, false);
        d.SetBool(OfxImageEffectProps.SupportsTiles, false);
        d.SetBool(OfxImageEffectProps.TemporalClipAccess, false);
        d.SetBool(OfxImageEffectProps.SupportsMultipleClipDepths, false);
        d.SetBool(OfxImageEffectProps.SupportsMultipleClipPARs, false);
        // Never Unsafe: MLT would then keep one instance for everything; InstanceSafe lets hosts render several
        // instances at once (each render takes its own node connection).
        d.SetRenderThreadSafety(OfxImageEffectValues.RenderInstanceSafe);
    }

    public override void DescribeInContext(EffectDescriptor descriptor, string context)
    {
        EffectDescriptor d = descriptor;
        d.DefineClip(OfxImageEffectValues.SimpleSourceClipName, ClipComponents);
        d.DefineClip(OfxImageEffectValues.OutputClipName, ClipComponents);

        ParamDefiner define = d.Params;
        ParamDeclaration[] mine = [.. FaceParams.For(Kind)];
        foreach ((string page, string label) in FaceParams.Pages)
        {
            ParamDeclaration[] onPage = [.. mine.Where(p => p.Page == page)];
            if (onPage.Length == 0)
            {
                continue;
            }

            string group = "group" + page["page".Length..];
            define.Group(group, label);
            foreach (ParamDeclaration p in onPage)
            {
                Define(define, p, group);
            }

            define.Page(page, label, [.. onPage.Select(p => p.Json)]);
        }
    }

    public override ImageEffect CreateInstance(EffectInstanceHandle instance) => new FaceEffect(instance, Kind);

    private static void Define(ParamDefiner define, ParamDeclaration p, string group)
    {
        _ = p.Kind switch
        {
            ParamKind.Choice => define.Choice(p.Json, p.Label, p.Choices, p.DefaultIndex, p.Help, group),
            ParamKind.Int => define.Int(p.Json, p.Label, (int)p.Default, (int)p.Min, (int)p.Max, p.Help, group),
            ParamKind.Double => define.Double(p.Json, p.Label, p.Default, p.Min, p.Max, p.Help, group),
            ParamKind.Bool => define.Boolean(p.Json, p.Label, p.Default != 0, p.Help, group),
            ParamKind.FilePath => define.String(p.Json, p.Label, "", OfxParamProps.StringIsFilePath, p.Help, group),
            ParamKind.DirectoryPath => define.String(p.Json, p.Label, "", OfxParamProps.StringIsDirectoryPath, p.Help, group),
            ParamKind.PushButton => define.PushButton(p.Json, p.Label, p.Help, group),
            _ => throw new OfxException(OfxStatus.ErrUnknown, "unknown param kind " + p.Kind),
        };
    }
}
