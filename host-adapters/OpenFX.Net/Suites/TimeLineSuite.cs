using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxTimeLineSuiteV1 (ofxTimeLine.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxTimeLineSuiteV1
{
    public delegate* unmanaged<nint, double*, int> GetTime;
    public delegate* unmanaged<nint, double, int> GotoTime;
    public delegate* unmanaged<nint, double*, double*, int> GetTimeBounds;
}

/// <summary>The host's time line, seen from an effect instance.</summary>
public sealed unsafe class TimeLineSuite(OfxTimeLineSuiteV1* suite)
{
    public OfxTimeLineSuiteV1* Native { get; } = suite;

    public double GetTime(nint instance)
    {
        double t = 0;
        OfxException.ThrowIfFailed(Native->GetTime(instance, &t), "getTime");
        return t;
    }

    public int GotoTime(nint instance, double time) => Native->GotoTime(instance, time);

    public (double First, double Last) GetTimeBounds(nint instance)
    {
        double a = 0, b = 0;
        OfxException.ThrowIfFailed(Native->GetTimeBounds(instance, &a, &b), "getTimeBounds");
        return (a, b);
    }
}
