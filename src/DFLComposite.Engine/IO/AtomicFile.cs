namespace DFLComposite.Engine.IO;

/// <summary>
/// Writes that never leave a half-written file: write to a temporary file beside the target, flush to disk, then
/// rename over the target (atomic on one file system). A full disk, a read-only folder or a missing permission is an
/// <see cref="OutputWriteException"/> (exit 6) naming the file, and the old file (if any) is untouched.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => WriteAllBytes(path, bytes, null);

    /// <param name="beforeReplace">Runs once the new bytes are safely on disk, just before they replace the target (a
    /// checkpoint moves the old file to its backups here, so a failed write leaves the old file where it was).</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, Action? beforeReplace)
    {
        using var _ = Diagnostics.StageTimes.Measure("write file");
        string tmp = TempPath(path);
        TempFiles.Track(tmp);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            beforeReplace?.Invoke();
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw WriteFailed(path, ex);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        finally
        {
            TempFiles.Untrack(tmp);
        }
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Leftover temporary files from an interrupted run match this pattern.</summary>
    public const string TempPattern = "*.dflc-tmp-*";

    /// <summary>The error for a write that failed: what happened to which file, and that nothing was replaced.</summary>
    public static OutputWriteException WriteFailed(string path, Exception ex) =>
        new($"could not write {path}: {Reason(ex)}. Nothing was replaced; free some space or choose another output folder.", ex);

    /// <summary>The cause of a failed write in words (ENOSPC, EROFS, EACCES ...), without an exception type.</summary>
    public static string Reason(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException io when (io.HResult & 0xFFFF) == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "the disk is full",
        IOException io when (io.HResult & 0xFFFF) == 30 || io.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "the file system is read-only",
        IOException io when (io.HResult & 0xFFFF) == 122 || io.Message.Contains("quota", StringComparison.OrdinalIgnoreCase) => "the disk quota is exceeded",
        _ => ex.Message.TrimEnd('.'),
    };

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
