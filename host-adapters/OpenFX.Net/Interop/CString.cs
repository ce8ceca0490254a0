using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace OpenFX.Net;

/// <summary>
/// UTF-8, NUL-terminated strings for the C API. Names (property, suite, action, param names) are a small fixed set:
/// <see cref="Interned"/> allocates each once for the life of the process. Values go through <see cref="Temp"/>,
/// freed by its Dispose.
/// </summary>
public static unsafe class CString
{
    private static readonly ConcurrentDictionary<string, nint> Names = new(StringComparer.Ordinal);

    /// <summary>A process-lifetime native copy of <paramref name="name"/> (never freed: names are a bounded set).</summary>
    public static byte* Interned(string name) => (byte*)Names.GetOrAdd(name, static n => (nint)Allocate(n));

    /// <summary>A native copy of <paramref name="value"/> that lives until the returned value is disposed.</summary>
    public static TempString Temp(string value) => new(Allocate(value));

    /// <summary>Reads a NUL-terminated UTF-8 string (null for a null pointer).</summary>
    public static string? Read(byte* p) => p == null ? null : Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p));

    /// <summary>Compares a NUL-terminated C string with ASCII/UTF-8 bytes without allocating.</summary>
    public static bool Equals(byte* p, ReadOnlySpan<byte> utf8) => p != null && MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p).SequenceEqual(utf8);

    private static byte* Allocate(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(p, n));
        p[n] = 0;
        return p;
    }

    /// <summary>A native string freed on Dispose.</summary>
    public readonly struct TempString(byte* pointer) : IDisposable
    {
        public byte* Pointer { get; } = pointer;

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
