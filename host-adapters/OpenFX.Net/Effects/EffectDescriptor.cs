namespace OpenFX.Net;

/// <summary>
/// The descriptor handle given to Describe and DescribeInContext, with helpers for the properties every effect sets
/// and for defining clips and parameters (<see cref="Params"/>).
/// </summary>
public sealed class EffectDescriptor
{
    private ParamDefiner? paramDefiner;

    public EffectDescriptor(OfxHostContext host, nint handle)
    {
        Host = host;
        Handle = handle;
        Properties = host.ImageEffect.GetPropertySet(handle);
    }

    public OfxHostContext Host { get; }

    public nint Handle { get; }

    public nint Properties { get; }

    /// <summary>Parameter definitions (valid in DescribeInContext).</summary>
    public ParamDefiner Params => paramDefiner ??= new ParamDefiner(Host, Host.ImageEffect.GetParamSet(Handle));

    public PropertySuite Props => Host.Property;

    public void SetLabels(string label, string? shortLabel = null, string? longLabel = null)
    {
        Props.SetString(Properties, OfxProps.Label, label);
        Props.SetString(Properties, OfxProps.ShortLabel, shortLabel ?? label);
        Props.SetString(Properties, OfxProps.LongLabel, longLabel ?? label);
    }

    public void SetGrouping(string grouping) => Props.SetString(Properties, OfxImageEffectProps.Grouping, grouping);

    public void SetDescription(string description) => TrySetString(OfxProps.PluginDescription, description);

    public void SetSupportedContexts(params ReadOnlySpan<string> contexts) => Props.SetStrings(Properties, OfxImageEffectProps.SupportedContexts, contexts);

    public void SetSupportedPixelDepths(params ReadOnlySpan<string> depths) => Props.SetStrings(Properties, OfxImageEffectProps.SupportedPixelDepths, depths);

    public void SetRenderThreadSafety(string safety) => Props.SetString(Properties, OfxImageEffectProps.RenderThreadSafety, safety);

    public void SetBool(string property, bool value) => Props.SetInt(Properties, property, value ? 1 : 0);

    /// <summary>Sets an optional property, ignoring a host that does not know it (older hosts reject newer names).</summary>
    public bool TrySetString(string property, string value)
    {
        try
        {
            Props.SetString(Properties, property, value);
            return true;
        }
        catch (OfxException)
        {
            return false;
        }
    }

    /// <summary>Defines a clip; supported components and optional/mask flags set on its descriptor.</summary>
    public nint DefineClip(string name, ReadOnlySpan<string> components, bool optional = false, bool supportsTiles = false)
    {
        nint clip = Host.ImageEffect.ClipDefine(Handle, name);
        Props.SetStrings(clip, OfxImageEffectProps.SupportedComponents, components);
        Props.SetInt(clip, OfxImageEffectProps.SupportsTiles, supportsTiles ? 1 : 0);
        if (optional)
        {
            Props.SetInt(clip, OfxImageEffectProps.ClipOptional, 1);
        }

        return clip;
    }
}
