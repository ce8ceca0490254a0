using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace DFLComposite.Node.Service.Frames;

/// <summary>
/// A frame file of the plug-in mapped for one request. On Linux it is mapped with <c>MAP_POPULATE</c>, so the kernel
/// sets up every page in the mmap call: mapped lazily, the first touch of each of a 720p frame's ~1,800 pages was a
/// page fault, and on a virtual machine those cost the node 11 ms of a 65 ms frame (measured with bench ofx).
/// Elsewhere a <see cref="MemoryMappedFile"/>.
/// </summary>
internal sealed unsafe partial class FrameMapping : IDisposable
{
    private const int ProtRead = 1, ProtWrite = 2, MapShared = 1, MapPopulate = 0x8000, OpenReadWrite = 2;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly nint _mapped;

    private FrameMapping(string path, long length)
    {
        Length = length;
        if (OperatingSystem.IsLinux())
        {
            int fd = Open(path, OpenReadWrite);
            if (fd < 0)
            {
                throw new IOException($"cannot open {path} (errno {Marshal.GetLastPInvokeError()})");
            }

            try
            {
                _mapped = Mmap(0, (nuint)length, ProtRead | ProtWrite, MapShared | MapPopulate, fd, 0);
            }
            finally
            {
                _ = Close(fd);
            }

            if (_mapped == -1)
            {
                throw new IOException($"cannot map {path} (errno {Marshal.GetLastPInvokeError()})");
            }

            Address = (byte*)_mapped;
            return;
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, length);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        Address = p + _view.PointerOffset;
    }

    public byte* Address { get; }

    public long Length { get; }

    public static FrameMapping Open(string path, long length) => new(path, length);

    public Span<byte> Bytes(long offset, int count) =>
        offset < 0 || offset + count > Length ? throw new ArgumentOutOfRangeException(nameof(offset)) : new Span<byte>(Address + offset, count);

    public void Dispose()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file!.Dispose();
        }
        else
        {
            _ = Munmap(_mapped, (nuint)Length);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
