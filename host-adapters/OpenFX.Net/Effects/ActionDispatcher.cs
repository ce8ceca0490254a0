using System.Collections.Concurrent;

namespace OpenFX.Net;

/// <summary>
/// Turns a plug-in's mainEntry call (action, handle, inArgs, outArgs) into calls of <see cref="ImageEffectPlugin"/>
/// and <see cref="ImageEffect"/>. Every exception becomes a status here: nothing unwinds into the host.
/// Instances are found through kOfxPropInstanceData, which holds a serial number (not a pointer): a handle the host
/// never created an instance for, or one already destroyed, is answered with kOfxStatErrBadHandle.
/// </summary>
internal static unsafe class ActionDispatcher
{
    private static readonly ConcurrentDictionary<nint, ImageEffect> Instances = new();
    private static long nextInstance;

    public static int InstanceCount => Instances.Count;

    public static int Dispatch(PluginSlot slot, byte* action, nint handle, nint inArgs, nint outArgs)
    {
        try
        {
            if (action == null)
            {
                return OfxStatus.ErrValue;
            }

            ImageEffectPlugin plugin = slot.Plugin;
            if (CString.Equals(action, "OfxActionLoad"u8))
            {
                return slot.Load();
            }

            OfxHostContext host = slot.EnsureHost();
            if (CString.Equals(action, "OfxActionUnload"u8))
            {
                return slot.Unload();
            }

            if (handle == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            if (CString.Equals(action, "OfxActionDescribe"u8))
            {
                plugin.Describe(new EffectDescriptor(host, handle));
                return OfxStatus.OK;
            }

            if (CString.Equals(action, "OfxImageEffectActionDescribeInContext"u8))
            {
                string context = inArgs == 0 ? OfxContext.Filter : host.Property.GetString(inArgs, OfxImageEffectProps.Context);
                plugin.DescribeInContext(new EffectDescriptor(host, handle), context);
                return OfxStatus.OK;
            }

            if (CString.Equals(action, "OfxActionCreateInstance"u8))
            {
                return CreateInstance(host, plugin, handle);
            }

            ImageEffect? effect = Find(host, plugin, handle);
            if (effect is null)
            {
                return OfxStatus.ErrBadHandle;
            }

            return InstanceAction.Run(effect, action, inArgs, outArgs);
        }
        catch (OfxException e)
        {
            OfxLog.Write(e);
            return e.Status;
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
            return OfxStatus.Failed;
        }
    }

    /// <summary>Forgets an instance (kOfxActionDestroyInstance) after its DestroyInstance ran.</summary>
    internal static int Destroy(ImageEffect effect)
    {
        nint id = 0;
        if (effect.Host.Property.TryGetPointer(effect.Properties, OfxProps.InstanceData, out nint data))
        {
            id = data;
        }

        try
        {
            effect.DestroyInstance();
        }
        finally
        {
            Instances.TryRemove(id, out _);
            effect.Host.Property.TrySetPointerZero(effect.Properties);
        }

        return OfxStatus.OK;
    }

    private static int CreateInstance(OfxHostContext host, ImageEffectPlugin plugin, nint handle)
    {
        if (!host.ImageEffect.TryGetPropertySet(handle, out nint props))
        {
            return OfxStatus.ErrBadHandle;
        }

        string context = host.Property.TryGetString(props, OfxImageEffectProps.Context, out string? c) && c is not null ? c : OfxContext.Filter;
        nint paramSet = host.ImageEffect.GetParamSet(handle);
        ImageEffect effect = plugin.CreateInstance(new EffectInstanceHandle(host, plugin, handle, props, paramSet, context));
        nint id = (nint)Interlocked.Increment(ref nextInstance);
        Instances[id] = effect;
        try
        {
            host.Property.SetPointer(props, OfxProps.InstanceData, id);
        }
        catch
        {
            Instances.TryRemove(id, out _);
            effect.DestroyInstance();
            throw;
        }

        return OfxStatus.OK;
    }

    private static ImageEffect? Find(OfxHostContext host, ImageEffectPlugin plugin, nint handle)
    {
        if (!host.ImageEffect.TryGetPropertySet(handle, out nint props) ||
            !host.Property.TryGetPointer(props, OfxProps.InstanceData, out nint id) ||
            !Instances.TryGetValue(id, out ImageEffect? effect))
        {
            return null;
        }

        return ReferenceEquals(effect.Plugin, plugin) && effect.Handle == handle ? effect : null;
    }

    private static void TrySetPointerZero(this PropertySuite props, nint set)
    {
        try
        {
            props.SetPointer(set, OfxProps.InstanceData, 0);
        }
        catch (OfxException)
        {
            // The host may already have torn the property set down; the instance is forgotten either way.
        }
    }
}
