namespace OpenFX.Net;

/// <summary>
/// One effect instance, as the OFX C++ Support library's ImageEffect: each instance action is a virtual method.
/// Methods that answer a question return false for "do the default" (kOfxStatReplyDefault). Any exception is turned
/// into a status by the dispatcher (<see cref="OfxException.Status"/>, else kOfxStatFailed) and never reaches the host.
/// DestroyInstance calls <see cref="DestroyInstance"/> and forgets the object.
/// </summary>
public abstract class ImageEffect(EffectInstanceHandle instance)
{
    private readonly Dictionary<string, Clip> clips = new(StringComparer.Ordinal);

    public OfxHostContext Host { get; } = instance.Host;

    public ImageEffectPlugin Plugin { get; } = instance.Plugin;

    /// <summary>The host's OfxImageEffectHandle for this instance.</summary>
    public nint Handle { get; } = instance.Handle;

    public nint Properties { get; } = instance.Properties;

    public nint ParamSet { get; } = instance.ParamSet;

    /// <summary>The context the instance was created in (kOfxImageEffectContextFilter ...).</summary>
    public string Context { get; } = instance.Context;

    /// <summary>kOfxImageEffectActionGetRegionOfDefinition; false = the host's default (the source's RoD).</summary>
    public virtual bool GetRegionOfDefinition(in RegionOfDefinitionArguments args, out OfxRectD regionOfDefinition)
    {
        regionOfDefinition = default;
        return false;
    }

    /// <summary>kOfxImageEffectActionGetClipPreferences; false = the host's defaults.</summary>
    public virtual bool GetClipPreferences(ClipPreferences preferences) => false;

    /// <summary>kOfxImageEffectActionIsIdentity; true with the clip (and time) to show instead of rendering.</summary>
    public virtual bool IsIdentity(in RenderArguments args, out string clip, out double time)
    {
        clip = "";
        time = args.Time;
        return false;
    }

    /// <summary>kOfxImageEffectActionRender.</summary>
    public abstract void Render(in RenderArguments args);

    public virtual void BeginSequenceRender(in SequenceArguments args)
    {
    }

    public virtual void EndSequenceRender(in SequenceArguments args)
    {
    }

    /// <summary>kOfxActionInstanceChanged: a param or clip changed. Many hosts (MLT) never send it.</summary>
    public virtual void InstanceChanged(in InstanceChangedArguments args)
    {
    }

    public virtual void BeginInstanceChanged(string reason)
    {
    }

    public virtual void EndInstanceChanged(string reason)
    {
    }

    public virtual void PurgeCaches()
    {
    }

    public virtual void SyncPrivateData()
    {
    }

    /// <summary>kOfxActionDestroyInstance: release what the instance holds.</summary>
    public virtual void DestroyInstance()
    {
    }

    /// <summary>A clip of this instance by name (cached), or null when the host has none of that name.</summary>
    public Clip? GetClip(string name)
    {
        lock (clips)
        {
            if (clips.TryGetValue(name, out Clip? clip))
            {
                return clip;
            }

            if (!Host.ImageEffect.TryGetClip(Handle, name, out nint handle, out nint props))
            {
                return null;
            }

            clip = new Clip(Host, name, handle, props);
            clips[name] = clip;
            return clip;
        }
    }

    /// <summary>True when the host asks to abandon the render in progress.</summary>
    public bool AbortRequested() => Host.ImageEffect.Abort(Handle);
}
