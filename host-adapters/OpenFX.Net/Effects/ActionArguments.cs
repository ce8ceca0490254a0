namespace OpenFX.Net;

/// <summary>In-arguments of kOfxImageEffectActionRender and kOfxImageEffectActionIsIdentity.</summary>
/// <param name="Time">kOfxPropTime.</param>
/// <param name="Field">kOfxImageEffectPropFieldToRender (kOfxImageFieldNone when the host gave none).</param>
/// <param name="RenderWindow">kOfxImageEffectPropRenderWindow, in pixel coordinates at the render scale.</param>
/// <param name="RenderScale">kOfxImageEffectPropRenderScale ((1, 1) when the host gave none).</param>
/// <param name="SequentialRender">kOfxImageEffectPropSequentialRenderStatus.</param>
/// <param name="InteractiveRender">kOfxImageEffectPropInteractiveRenderStatus.</param>
/// <param name="Draft">kOfxImageEffectPropRenderQualityDraft (OFX 1.4): the host asks for speed over quality.</param>
public readonly record struct RenderArguments(
    double Time, string Field, OfxRectI RenderWindow, OfxPointD RenderScale, bool SequentialRender, bool InteractiveRender, bool Draft);

/// <summary>In-arguments of kOfxImageEffectActionGetRegionOfDefinition.</summary>
public readonly record struct RegionOfDefinitionArguments(double Time, OfxPointD RenderScale);

/// <summary>In-arguments of kOfxImageEffectActionBeginSequenceRender / EndSequenceRender.</summary>
public readonly record struct SequenceArguments(
    OfxRangeD FrameRange, double FrameStep, bool IsInteractive, OfxPointD RenderScale, bool SequentialRender, bool InteractiveRender, bool Draft);

/// <summary>In-arguments of kOfxActionInstanceChanged: what changed (a param or a clip), why, when.</summary>
/// <param name="Type">kOfxTypeParameter or kOfxTypeClip.</param>
/// <param name="Name">The param's or clip's name.</param>
/// <param name="Reason">kOfxChangeUserEdited, kOfxChangePluginEdited or kOfxChangeTime.</param>
public readonly record struct InstanceChangedArguments(string Type, string Name, string Reason, double Time, OfxPointD RenderScale);

/// <summary>Writes kOfxImageEffectActionGetClipPreferences' out-arguments.</summary>
public sealed class ClipPreferences(PropertySuite properties, nint outArgs)
{
    public void SetComponents(string clip, string components) =>
        properties.SetString(outArgs, OfxImageEffectValues.ClipPropComponentsPrefix + clip, components);

    public void SetPixelDepth(string clip, string depth) =>
        properties.SetString(outArgs, OfxImageEffectValues.ClipPropDepthPrefix + clip, depth);

    public void SetPixelAspectRatio(string clip, double par) =>
        properties.SetDouble(outArgs, OfxImageEffectValues.ClipPropPARPrefix + clip, par);

    /// <summary>kOfxImageOpaque, kOfxImagePreMultiplied or kOfxImageUnPreMultiplied for the output.</summary>
    public void SetOutputPremultiplication(string premultiplication) =>
        properties.SetString(outArgs, OfxImageEffectProps.PreMultiplication, premultiplication);

    public void SetOutputFrameVarying(bool varying) => properties.SetInt(outArgs, OfxImageEffectProps.FrameVarying, varying ? 1 : 0);
}
