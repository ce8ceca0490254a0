using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxMemorySuiteV1 (ofxMemory.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxMemorySuiteV1
{
    public delegate* unmanaged<nint, nuint, void**, int> MemoryAlloc;
    public delegate* unmanaged<void*, int> MemoryFree;
}

/// <summary>Host-managed memory (counts against the host's cache budget).</summary>
public sealed unsafe class MemorySuite(OfxMemorySuiteV1* suite)
{
    public OfxMemorySuiteV1* Native { get; } = suite;

    /// <summary>Allocates bytes; handle is the effect instance (or 0).</summary>
    public void* Alloc(nint handle, nuint bytes)
    {
        void* p = null;
        OfxException.ThrowIfFailed(Native->MemoryAlloc(handle, bytes, &p), "memoryAlloc");
        return p;
    }

    public int Free(void* data) => Native->MemoryFree(data);
}
