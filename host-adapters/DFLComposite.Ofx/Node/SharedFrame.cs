using System.IO.MemoryMappedFiles;
using OpenFX.Net;

namespace DFLComposite.Ofx.Node;

/// <summary>
/// A shared-memory file the frame travels in: /dev/shm/dflc-ofx-&lt;pid&gt;-&lt;n&gt; (mode 0600; the temp folder where
/// there is no /dev/shm), mapped into this process. The input frame is written at offset 0 and the node writes its
/// output at <c>outputOffset</c> (= the input's size) in the same file. Buffers are pooled process-wide
/// (<see cref="NodePool"/>), because MLT makes a new effect instance for every frame; the files left in the pool
/// are deleted when the host process exits (<see cref="ExitCleanup"/>), and leftovers of crashed processes by the
/// next process's <see cref="RemoveStale"/>.
/// </summary>
public sealed unsafe class SharedFrame : IDisposable
{
    public const string Prefix = "dflc-ofx-";
    private static int serial;

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private byte* pointer;

    private SharedFrame(string path, long capacity)
    {
        Path = path;
        Capacity = capacity;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(path, options))
            {
                file.SetLength(capacity);
            }

            ExitCleanup.DeleteAtExit(path);

            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, capacity, MemoryMappedFileAccess.ReadWrite);
            view = map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
        }
        catch
        {
            view?.Dispose();
            map?.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>The file's path, sent to the node as "shm".</summary>
    public string Path { get; }

    public long Capacity { get; }

    public byte* Pointer => pointer;

    /// <summary>Where shared-memory files go: /dev/shm where it exists, else the temp folder.</summary>
    public static string Folder => Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    public static SharedFrame Create(long capacity)
    {
        string path = System.IO.Path.Combine(Folder, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref serial)}");
        return new SharedFrame(path, Math.Max(capacity, 1));
    }

    /// <summary>Removes frame files left by processes that are gone (a host that crashed, or was killed).</summary>
    public static void RemoveStale()
    {
        try
        {
            foreach (string file in Directory.EnumerateFiles(Folder, Prefix + "*"))
            {
                string rest = System.IO.Path.GetFileName(file)[Prefix.Length..];
                int dash = rest.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && int.TryParse(rest[..dash], out int pid) && pid != Environment.ProcessId && !ProcessAlive(pid))
                {
                    TryDelete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    public void Dispose()
    {
        if (pointer != null)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            pointer = null;
        }

        view.Dispose();
        map.Dispose();
        TryDelete(Path);
        ExitCleanup.Forget(Path);
    }

    private static bool ProcessAlive(int pid) => !OperatingSystem.IsLinux() || Directory.Exists($"/proc/{pid}");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale file is removed by the next process's RemoveStale.
        }
    }
}
