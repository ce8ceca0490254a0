using System.Collections.Concurrent;

namespace DFLComposite.Engine.IO;

/// <summary>
/// Temporary files being written right now (atomic writes, encodes in progress), so a process that must stop at once
/// (a second Ctrl+C) can remove them instead of leaving them beside the outputs.
/// </summary>
public static class TempFiles
{
    private static readonly ConcurrentDictionary<string, byte> Open = new();

    public static void Track(string path) => Open[path] = 0;

    public static void Untrack(string path) => Open.TryRemove(path, out _);

    /// <summary>Deletes every tracked file; returns how many existed.</summary>
    public static int DeleteAll()
    {
        int n = 0;
        foreach (string path in Open.Keys)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    n++;
                }
            }
            catch (IOException)
            {
                // the process is going away; nothing more to do
            }
            catch (UnauthorizedAccessException)
            {
            }

            Open.TryRemove(path, out _);
        }

        return n;
    }
}
