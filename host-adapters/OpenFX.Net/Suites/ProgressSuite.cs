using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxProgressSuiteV1 (ofxProgress.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxProgressSuiteV1
{
    public delegate* unmanaged<nint, byte*, int> ProgressStart;
    public delegate* unmanaged<nint, double, int> ProgressUpdate;
    public delegate* unmanaged<nint, int> ProgressEnd;
}

/// <summary>OfxProgressSuiteV2: progressStart also takes a message id.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxProgressSuiteV2
{
    public delegate* unmanaged<nint, byte*, byte*, int> ProgressStart;
    public delegate* unmanaged<nint, double, int> ProgressUpdate;
    public delegate* unmanaged<nint, int> ProgressEnd;
}

/// <summary>The progress suite, version 2 where the host has it, else version 1.</summary>
public sealed unsafe class ProgressSuite
{
    private readonly OfxProgressSuiteV1* v1;
    private readonly OfxProgressSuiteV2* v2;

    public ProgressSuite(OfxProgressSuiteV2* suite) => v2 = suite;

    public ProgressSuite(OfxProgressSuiteV1* suite) => v1 = suite;

    public int Version => v2 != null ? 2 : 1;

    public int Start(nint instance, string label, string? id = null)
    {
        using var l = CString.Temp(label);
        if (v2 != null)
        {
            using var i = CString.Temp(id ?? "");
            return v2->ProgressStart(instance, l.Pointer, i.Pointer);
        }

        return v1->ProgressStart(instance, l.Pointer);
    }

    /// <summary>progress in 0..1; kOfxStatReplyNo means the user asked to stop.</summary>
    public int Update(nint instance, double progress) => v2 != null ? v2->ProgressUpdate(instance, progress) : v1->ProgressUpdate(instance, progress);

    public int End(nint instance) => v2 != null ? v2->ProgressEnd(instance) : v1->ProgressEnd(instance);
}
