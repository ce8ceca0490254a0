namespace DFLComposite.Engine.Facesets;

/// <summary>One face in the index: enough to list, sort and split without opening the image.</summary>
public sealed record FaceSetEntry(
    string File,
    string SourceFile,
    string SourceClip,
    long FrameIndex,
    int FaceIndex,
    float DetectorScore,
    float Yaw,
    float Pitch);

/// <summary><c>faceset.json</c>: the list of faces in a faceset folder, written atomically after extraction.</summary>
public sealed record FaceSetIndex(int Version, string FaceType, int Size, DateTimeOffset Created, IReadOnlyList<FaceSetEntry> Faces)
{
    public const string FileName = "faceset.json";
    public const int CurrentVersion = 1;
}
