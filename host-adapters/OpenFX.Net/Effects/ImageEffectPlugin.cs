namespace OpenFX.Net;

/// <summary>
/// One plug-in of a binary: its identity and its descriptor-level actions (Load, Unload, Describe,
/// DescribeInContext, CreateInstance), as the OFX C++ Support library's PluginFactory. Instance-level actions live on
/// <see cref="ImageEffect"/>. Register instances with <see cref="PluginRegistry"/>.
/// Hosts may call Load and Describe more than once and may never call Unload (MLT): keep both cheap and idempotent,
/// and put nothing in Unload that must happen.
/// </summary>
public abstract class ImageEffectPlugin
{
    /// <summary>Reverse-domain identifier, e.g. "org.example.blur" (avoid ':' — MLT maps it to '^').</summary>
    public abstract string Identifier { get; }

    public virtual uint VersionMajor => 1;

    public virtual uint VersionMinor => 0;

    /// <summary>The host this plug-in was loaded by (null before kOfxActionLoad).</summary>
    public OfxHostContext? Host { get; internal set; }

    /// <summary>kOfxActionLoad; called once per Load the host sends (the dispatcher skips repeats until Unload).</summary>
    public virtual void Load()
    {
    }

    /// <summary>kOfxActionUnload. Hosts may never send it.</summary>
    public virtual void Unload()
    {
    }

    /// <summary>kOfxActionDescribe: labels, grouping, contexts, depths, thread safety.</summary>
    public abstract void Describe(EffectDescriptor descriptor);

    /// <summary>kOfxImageEffectActionDescribeInContext: clips and parameters for one context.</summary>
    public abstract void DescribeInContext(EffectDescriptor descriptor, string context);

    /// <summary>kOfxActionCreateInstance: a new instance object for the host's instance handle.</summary>
    public abstract ImageEffect CreateInstance(EffectInstanceHandle instance);
}

/// <summary>What an <see cref="ImageEffect"/> is built from: the host, the instance handle and its property sets.</summary>
public sealed record EffectInstanceHandle(OfxHostContext Host, ImageEffectPlugin Plugin, nint Handle, nint Properties, nint ParamSet, string Context);
