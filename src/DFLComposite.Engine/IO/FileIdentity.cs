using System.Runtime.InteropServices;

namespace DFLComposite.Engine.IO;

/// <summary>
/// Whether two paths name the same file on disk — through a symlink, a hard link, <c>..</c> or a second mount of the
/// folder — by device and inode (Unix) or full path (elsewhere). An output that is its own input would destroy the
/// footage it is made from.
/// </summary>
public static partial class FileIdentity
{
    /// <summary>The same existing file; false when either does not exist.</summary>
    public static bool Same(string a, string b)
    {
        if (!File.Exists(a) && !Directory.Exists(a) || !File.Exists(b) && !Directory.Exists(b))
        {
            return false;
        }

        if (OperatingSystem.IsLinux() && Id(a) is { } ia && Id(b) is { } ib)
        {
            return ia == ib;
        }

        return string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    // st_dev and st_ino are the first two 8-byte fields of struct stat on Linux x86-64 and arm64 (glibc >= 2.33 exports stat).
    private static (ulong Device, ulong Inode)? Id(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Stat(path, ref MemoryMarshal.GetReference(buffer)) == 0
            ? (MemoryMarshal.Read<ulong>(buffer), MemoryMarshal.Read<ulong>(buffer[8..]))
            : null;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte buffer);
}
