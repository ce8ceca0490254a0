using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxMultiThreadSuiteV1 (ofxMultiThread.h). Thread functions are (threadIndex, threadMax, customArg).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxMultiThreadSuiteV1
{
    public delegate* unmanaged<delegate* unmanaged<uint, uint, void*, void>, uint, void*, int> MultiThread;
    public delegate* unmanaged<uint*, int> MultiThreadNumCPUs;
    public delegate* unmanaged<uint*, int> MultiThreadIndex;
    public delegate* unmanaged<int> MultiThreadIsSpawnedThread;
    public delegate* unmanaged<nint*, int, int> MutexCreate;
    public delegate* unmanaged<nint, int> MutexDestroy;
    public delegate* unmanaged<nint, int> MutexLock;
    public delegate* unmanaged<nint, int> MutexUnLock;
    public delegate* unmanaged<nint, int> MutexTryLock;
}

/// <summary>The host's threads and mutexes.</summary>
public sealed unsafe class MultiThreadSuite(OfxMultiThreadSuiteV1* suite)
{
    public OfxMultiThreadSuiteV1* Native { get; } = suite;

    /// <summary>Runs an [UnmanagedCallersOnly] function on nThreads host threads and waits for them.</summary>
    public int MultiThread(delegate* unmanaged<uint, uint, void*, void> function, uint threads, void* argument) =>
        Native->MultiThread(function, threads, argument);

    public uint NumCPUs()
    {
        uint n = 1;
        return Native->MultiThreadNumCPUs(&n) == OfxStatus.OK ? n : 1;
    }

    public uint Index()
    {
        uint i = 0;
        return Native->MultiThreadIndex(&i) == OfxStatus.OK ? i : 0;
    }

    public bool IsSpawnedThread() => Native->MultiThreadIsSpawnedThread() != 0;

    public nint MutexCreate(int lockCount = 0)
    {
        nint m = 0;
        OfxException.ThrowIfFailed(Native->MutexCreate(&m, lockCount), "mutexCreate");
        return m;
    }

    public int MutexDestroy(nint mutex) => Native->MutexDestroy(mutex);

    public int MutexLock(nint mutex) => Native->MutexLock(mutex);

    public int MutexUnlock(nint mutex) => Native->MutexUnLock(mutex);

    /// <summary>kOfxStatOK when locked, kOfxStatFailed when another thread holds it.</summary>
    public int MutexTryLock(nint mutex) => Native->MutexTryLock(mutex);
}
