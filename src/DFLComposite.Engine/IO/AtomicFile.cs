namespace DFLComposite.Engine.IO;

/// <summary>
/// Writes that never leave a half-written file: write to a temporary file beside the target, flush to disk,
/// then rename over the target (atomic on one file system). A full disk surfaces as an <see cref="IOException"/>
/// that names the file, and the old file (if any) is untouched.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string tmp = TempPath(path);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException ex)
        {
            TryDelete(tmp);
            throw new IOException($"Could not write {path}: {ex.Message} (is the disk full or read-only?)", ex);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Leftover temporary files from an interrupted run match this pattern.</summary>
    public const string TempPattern = "*.dflc-tmp-*";

    private static string TempPath(string path) => $"{path}.dflc-tmp-{Guid.NewGuid():N}";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
