namespace DFLComposite.Node.Service;

/// <summary>
/// The folders jobs may read and write. A path is inside when its real location — after <c>..</c> and every symlink
/// on the way, as far as the path exists — lies within a root's real location. Anything else is refused (403).
/// </summary>
internal sealed class NodeRoots(IReadOnlyList<string> roots)
{
    private readonly string[] _real = roots.Select(r => Real(Path.GetFullPath(r))).ToArray();

    public IReadOnlyList<string> Folders { get; } = roots.Select(Path.GetFullPath).ToArray();

    /// <summary>The root a path lies in after resolving it, or null.</summary>
    public string? RootOf(string path)
    {
        string real = Real(Path.GetFullPath(path));
        for (int i = 0; i < _real.Length; i++)
        {
            string root = _real[i].TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (real == _real[i] || real.StartsWith(root, StringComparison.Ordinal))
            {
                return Folders[i];
            }
        }

        return null;
    }

    public bool Contains(string path) => RootOf(path) is not null;

    /// <summary>
    /// The real path: the longest prefix that exists is resolved through its links (one component at a time, so a
    /// link in the middle counts), and the part that does not exist yet is appended as it is.
    /// </summary>
    public static string Real(string full) => Real(full, 0);

    private static string Real(string full, int depth)
    {
        string[] parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = Path.GetPathRoot(full) ?? "/";
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists && info.LinkTarget is null)
            {
                return Path.GetFullPath(Path.Combine([current, .. parts[i..]]));
            }

            try
            {
                FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
                // the target's own folders may be links too
                current = target is null ? next : depth < 40 ? Real(Path.GetFullPath(target.FullName), depth + 1) : Path.GetFullPath(target.FullName);
            }
            catch (IOException)
            {
                return next; // a loop: it cannot be opened anyway; judge it by where it stands
            }
        }

        return current;
    }
}
