using System.Text.RegularExpressions;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// Reorders, renames and retires faces of a faceset. Files are renamed one by one (each rename atomic) and the
/// index is rewritten last; if that is interrupted, <see cref="FaceSet.Open"/> notices the index no longer
/// matches the files and rebuilds it from the files' own metadata. Retired faces go to <c>trash/</c>, never deleted.
/// </summary>
public static partial class FaceSetEditor
{
    public const string TrashFolder = "trash";

    /// <summary>Renames faces so a file browser shows <paramref name="ordered"/>'s order and moves <paramref name="retired"/> to trash/.</summary>
    public static FaceSetIndex Apply(FaceSet set, IReadOnlyList<FaceSetEntry> ordered, IEnumerable<FaceSetEntry> retired, bool renumber = true)
    {
        string trash = Path.Combine(set.Directory, TrashFolder);
        foreach (FaceSetEntry e in retired)
        {
            Directory.CreateDirectory(trash);
            File.Move(set.PathOf(e), Path.Combine(trash, e.File), overwrite: true);
        }

        var entries = new List<FaceSetEntry>(ordered.Count);
        for (int i = 0; i < ordered.Count; i++)
        {
            FaceSetEntry e = ordered[i];
            string name = renumber ? $"{i:D5}_{RankPrefix().Replace(e.File, "")}" : e.File;
            if (name != e.File)
            {
                File.Move(set.PathOf(e), Path.Combine(set.Directory, name));
            }

            entries.Add(e with { File = name });
        }

        var index = set.Index with { Faces = entries };
        FaceSet.WriteIndex(set.Directory, index);
        return index;
    }

    [GeneratedRegex(@"^\d{5}_")]
    private static partial Regex RankPrefix();
}
