using System.Runtime.InteropServices;

[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]

namespace OpenFX.Net;

/// <summary>
/// native/ofxparam_shim.c: fixed-signature wrappers around OpenFX's variadic functions. Each takes the host's
/// function pointer first. A NativeAOT library links the shim statically (DirectPInvoke, see native/OfxShim.targets);
/// a JIT process would need it built as a shared library named libofxparam_shim.
/// </summary>
internal static unsafe partial class ShimNative
{
    private const string Lib = "ofxparam_shim";

    [DllImport(Lib, EntryPoint = "ofxshim_get_ints", ExactSpelling = true)]
    public static extern int GetInts(void* fn, nint param, int* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_get_doubles", ExactSpelling = true)]
    public static extern int GetDoubles(void* fn, nint param, double* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_get_string", ExactSpelling = true)]
    public static extern int GetString(void* fn, nint param, byte** value);

    [DllImport(Lib, EntryPoint = "ofxshim_get_ints_at", ExactSpelling = true)]
    public static extern int GetIntsAt(void* fn, nint param, double time, int* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_get_doubles_at", ExactSpelling = true)]
    public static extern int GetDoublesAt(void* fn, nint param, double time, double* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_get_string_at", ExactSpelling = true)]
    public static extern int GetStringAt(void* fn, nint param, double time, byte** value);

    [DllImport(Lib, EntryPoint = "ofxshim_get_doubles_integral", ExactSpelling = true)]
    public static extern int GetDoublesIntegral(void* fn, nint param, double time1, double time2, double* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_set_ints", ExactSpelling = true)]
    public static extern int SetInts(void* fn, nint param, int* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_set_doubles", ExactSpelling = true)]
    public static extern int SetDoubles(void* fn, nint param, double* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_set_string", ExactSpelling = true)]
    public static extern int SetString(void* fn, nint param, byte* value);

    [DllImport(Lib, EntryPoint = "ofxshim_set_ints_at", ExactSpelling = true)]
    public static extern int SetIntsAt(void* fn, nint param, double time, int* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_set_doubles_at", ExactSpelling = true)]
    public static extern int SetDoublesAt(void* fn, nint param, double time, double* values, int count);

    [DllImport(Lib, EntryPoint = "ofxshim_set_string_at", ExactSpelling = true)]
    public static extern int SetStringAt(void* fn, nint param, double time, byte* value);

    [DllImport(Lib, EntryPoint = "ofxshim_message", ExactSpelling = true)]
    public static extern int Message(void* fn, nint handle, byte* type, byte* id, byte* text);

    [DllImport(Lib, EntryPoint = "ofxshim_module_path", ExactSpelling = true)]
    public static extern int ModulePath(byte* buffer, int size);

    [DllImport(Lib, EntryPoint = "ofxshim_track_file", ExactSpelling = true)]
    public static extern int TrackFile(byte* path, int track);
}

/// <summary>
/// Files to delete when the host process exits (through the C runtime's atexit: a plug-in gets no Unload from
/// some hosts and a NativeAOT library no managed exit event). Not run on a crash or kill.
/// </summary>
public static unsafe class ExitCleanup
{
    /// <summary>Deletes <paramref name="path"/> at process exit; false if it could not be registered.</summary>
    public static bool DeleteAtExit(string path)
    {
        using var p = CString.Temp(path);
        return ShimNative.TrackFile(p.Pointer, 1) == 0;
    }

    /// <summary>Forgets a path registered with <see cref="DeleteAtExit"/> (the file was deleted already).</summary>
    public static void Forget(string path)
    {
        using var p = CString.Temp(path);
        _ = ShimNative.TrackFile(p.Pointer, 0);
    }
}

/// <summary>Where the library that contains the shim (the .ofx) was loaded from, found with dladdr.</summary>
public static unsafe class ModuleLocation
{
    /// <summary>The full path of the loaded .ofx, or null when the loader cannot tell.</summary>
    public static string? LibraryPath()
    {
        const int size = 4096;
        byte* buffer = stackalloc byte[size];
        return ShimNative.ModulePath(buffer, size) == OfxStatus.OK ? CString.Read(buffer) : null;
    }
}
