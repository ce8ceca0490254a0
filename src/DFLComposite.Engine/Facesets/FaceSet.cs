using System.Text.Json;
using DFLComposite.Engine.Align;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Facesets;

/// <summary>A folder of aligned face files plus <c>faceset.json</c>, the index that makes listing instant.</summary>
public sealed class FaceSet
{
    private FaceSet(string directory, FaceSetIndex index, bool indexed)
    {
        Directory = directory;
        Index = index;
        HasIndex = indexed;
    }

    public string Directory { get; }

    public FaceSetIndex Index { get; }

    /// <summary>False when the index was missing and rebuilt from the files' own metadata.</summary>
    public bool HasIndex { get; }

    public IReadOnlyList<FaceSetEntry> Faces => Index.Faces;

    public string PathOf(FaceSetEntry entry) => Path.Combine(Directory, entry.File);

    /// <summary>Opens a faceset folder (or the folder of a single face file's parent).</summary>
    public static FaceSet Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new MediaException($"{directory}: faceset folder not found. Extract one with `dflc extract`.");
        }

        string indexPath = Path.Combine(directory, FaceSetIndex.FileName);
        if (File.Exists(indexPath))
        {
            try
            {
                FaceSetIndex? index = JsonSerializer.Deserialize<FaceSetIndex>(File.ReadAllBytes(indexPath), AlignedFaceFile.Json);
                // An index whose files are gone (an interrupted sort or a hand edit) is rebuilt from the files.
                if (index is not null && index.Faces.All(f => File.Exists(Path.Combine(directory, f.File))))
                {
                    return new FaceSet(directory, index, indexed: true);
                }
            }
            catch (JsonException)
            {
                // fall through: rebuild from the files themselves
            }
        }

        return new FaceSet(directory, Rebuild(directory), indexed: false);
    }

    /// <summary>Builds an index from the face files' embedded metadata (slow path: opens every file).</summary>
    public static FaceSetIndex Rebuild(string directory)
    {
        var entries = new List<FaceSetEntry>();
        string faceType = "wf";
        int size = 0;
        foreach (string file in System.IO.Directory.EnumerateFiles(directory).Where(AlignedFaceFile.IsFaceFile).Order(StringComparer.Ordinal))
        {
            AlignedFaceMetadata m;
            try
            {
                m = AlignedFaceFile.ReadMetadata(file);
            }
            catch (MediaException)
            {
                continue; // not one of ours
            }

            faceType = m.FaceType;
            size = m.Size;
            entries.Add(EntryFor(Path.GetFileName(file), m));
        }

        if (entries.Count == 0)
        {
            throw new MediaException($"{directory}: no aligned faces in this folder.");
        }

        return new FaceSetIndex(FaceSetIndex.CurrentVersion, faceType, size, DateTimeOffset.UtcNow, entries);
    }

    public static FaceSetEntry EntryFor(string file, AlignedFaceMetadata m)
    {
        (float yaw, float pitch) = Pose.FromAligned(AlignedFaceMetadata.Unpack(m.Landmarks68));
        return new FaceSetEntry(file, m.SourceFile, m.SourceClip ?? m.SourceFile, m.FrameIndex, m.FaceIndex, m.DetectorScore, yaw, pitch);
    }

    public static void WriteIndex(string directory, FaceSetIndex index) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, FaceSetIndex.FileName), JsonSerializer.SerializeToUtf8Bytes(index, AlignedFaceFile.Json));
}
