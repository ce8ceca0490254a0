using System.Runtime.InteropServices;

namespace OpenFX.Net;

// Blittable mirrors of ofxCore.h's structs. Handles (OfxPropertySetHandle, OfxImageEffectHandle, OfxParamHandle ...)
// are opaque pointers and appear as nint throughout.

/// <summary>OfxHost: the host's property set and its suite fetcher.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxHost
{
    public nint Host;
    public delegate* unmanaged<nint, byte*, int, void*> FetchSuite;
}

/// <summary>OfxPlugin: what OfxGetPlugin returns for each plug-in in the binary.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxPlugin
{
    public byte* PluginApi;
    public int ApiVersion;
    public byte* PluginIdentifier;
    public uint PluginVersionMajor;
    public uint PluginVersionMinor;
    public delegate* unmanaged<OfxHost*, void> SetHost;
    public delegate* unmanaged<byte*, nint, nint, nint, int> MainEntry;
}

[StructLayout(LayoutKind.Sequential)]
public struct OfxRangeI
{
    public int Min;
    public int Max;
}

[StructLayout(LayoutKind.Sequential)]
public struct OfxRangeD
{
    public double Min;
    public double Max;
}

[StructLayout(LayoutKind.Sequential)]
public struct OfxPointI
{
    public int X;
    public int Y;
}

[StructLayout(LayoutKind.Sequential)]
public struct OfxPointD
{
    public double X;
    public double Y;
}

/// <summary>Integer rectangle, x2/y2 exclusive (image bounds, render windows).</summary>
[StructLayout(LayoutKind.Sequential)]
public record struct OfxRectI(int X1, int Y1, int X2, int Y2)
{
    public readonly int Width => X2 - X1;

    public readonly int Height => Y2 - Y1;

    public readonly bool IsEmpty => X2 <= X1 || Y2 <= Y1;

    public readonly OfxRectI Intersect(OfxRectI o) =>
        new(Math.Max(X1, o.X1), Math.Max(Y1, o.Y1), Math.Min(X2, o.X2), Math.Min(Y2, o.Y2));
}

/// <summary>Canonical-coordinate rectangle (regions of definition and interest).</summary>
[StructLayout(LayoutKind.Sequential)]
public record struct OfxRectD(double X1, double Y1, double X2, double Y2);
