using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxImageEffectSuiteV1 (ofxImageEffect.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxImageEffectSuiteV1
{
    public delegate* unmanaged<nint, nint*, int> GetPropertySet;
    public delegate* unmanaged<nint, nint*, int> GetParamSet;
    public delegate* unmanaged<nint, byte*, nint*, int> ClipDefine;
    public delegate* unmanaged<nint, byte*, nint*, nint*, int> ClipGetHandle;
    public delegate* unmanaged<nint, nint*, int> ClipGetPropertySet;
    public delegate* unmanaged<nint, double, OfxRectD*, nint*, int> ClipGetImage;
    public delegate* unmanaged<nint, int> ClipReleaseImage;
    public delegate* unmanaged<nint, double, OfxRectD*, int> ClipGetRegionOfDefinition;
    public delegate* unmanaged<nint, int> Abort;
    public delegate* unmanaged<nint, nuint, nint*, int> ImageMemoryAlloc;
    public delegate* unmanaged<nint, int> ImageMemoryFree;
    public delegate* unmanaged<nint, void**, int> ImageMemoryLock;
    public delegate* unmanaged<nint, int> ImageMemoryUnlock;
}

/// <summary>The image effect suite: effect and clip property sets, images, abort, image memory.</summary>
public sealed unsafe class ImageEffectSuite(OfxImageEffectSuiteV1* suite)
{
    public OfxImageEffectSuiteV1* Native { get; } = suite;

    public nint GetPropertySet(nint effect)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->GetPropertySet(effect, &props), "getPropertySet");
        return props;
    }

    public bool TryGetPropertySet(nint effect, out nint props)
    {
        nint p = 0;
        bool ok = effect != 0 && Native->GetPropertySet(effect, &p) == OfxStatus.OK && p != 0;
        props = p;
        return ok;
    }

    public nint GetParamSet(nint effect)
    {
        nint set = 0;
        OfxException.ThrowIfFailed(Native->GetParamSet(effect, &set), "getParamSet");
        return set;
    }

    /// <summary>Defines a clip on a descriptor; returns the clip descriptor's property set.</summary>
    public nint ClipDefine(nint effect, string name)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->ClipDefine(effect, CString.Interned(name), &props), "clipDefine " + name);
        return props;
    }

    /// <summary>An instance's clip by name, or false when the host has none of that name.</summary>
    public bool TryGetClip(nint effect, string name, out nint clip, out nint props)
    {
        nint c = 0, p = 0;
        bool ok = Native->ClipGetHandle(effect, CString.Interned(name), &c, &p) == OfxStatus.OK && c != 0;
        clip = c;
        props = p;
        return ok;
    }

    public nint ClipGetPropertySet(nint clip)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->ClipGetPropertySet(clip, &props), "clipGetPropertySet");
        return props;
    }

    /// <summary>Fetches an image (the whole image if region is null); false when the host has none at that time.</summary>
    public bool TryGetImage(nint clip, double time, OfxRectD? region, out nint image)
    {
        nint img = 0;
        int status;
        if (region is { } r)
        {
            status = Native->ClipGetImage(clip, time, &r, &img);
        }
        else
        {
            status = Native->ClipGetImage(clip, time, null, &img);
        }

        image = img;
        return status == OfxStatus.OK && img != 0;
    }

    public int ReleaseImage(nint image) => Native->ClipReleaseImage(image);

    public OfxRectD ClipGetRegionOfDefinition(nint clip, double time)
    {
        OfxRectD rod;
        OfxException.ThrowIfFailed(Native->ClipGetRegionOfDefinition(clip, time, &rod), "clipGetRegionOfDefinition");
        return rod;
    }

    /// <summary>True when the host wants the current render abandoned.</summary>
    public bool Abort(nint effect) => Native->Abort != null && Native->Abort(effect) != 0;

    public nint ImageMemoryAlloc(nint effect, nuint bytes)
    {
        nint handle = 0;
        OfxException.ThrowIfFailed(Native->ImageMemoryAlloc(effect, bytes, &handle), "imageMemoryAlloc");
        return handle;
    }

    public int ImageMemoryFree(nint memory) => Native->ImageMemoryFree(memory);

    public void* ImageMemoryLock(nint memory)
    {
        void* p = null;
        OfxException.ThrowIfFailed(Native->ImageMemoryLock(memory, &p), "imageMemoryLock");
        return p;
    }

    public int ImageMemoryUnlock(nint memory) => Native->ImageMemoryUnlock(memory);
}
