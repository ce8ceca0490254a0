using System.Text.Json;
using DFLComposite.Engine.Facesets;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// The record of an extraction in progress, one JSON line per processed frame (written after the frame's
/// face files are in place) and one per finished source. An interrupted run reads it back and carries on
/// after the last recorded frame; a line torn by a crash is ignored.
/// </summary>
internal sealed class ExtractJournal : IDisposable
{
    public const string FileName = "extract-journal.jsonl";
    private readonly StreamWriter _writer;
    private readonly Dictionary<string, long> _lastFrame = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<FaceSetEntry> _entries = [];
    private readonly Dictionary<string, (long Frames, long WithFaces)> _counts = new(StringComparer.Ordinal);

    public ExtractJournal(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            foreach (string line in File.ReadLines(path))
            {
                Record? r = TryParse(line);
                if (r is null)
                {
                    continue;
                }

                Apply(r);
                Resumed = true;
            }
        }

        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public IReadOnlyList<FaceSetEntry> Entries => _entries;

    public bool IsDone(string source) => _done.Contains(source);

    /// <summary>Last processed frame of a source, or -1.</summary>
    public long LastFrame(string source) => _lastFrame.GetValueOrDefault(source, -1);

    public (long Frames, long WithFaces) Counts(string source) => _counts.GetValueOrDefault(source);

    public bool Resumed { get; private set; }

    public void FrameDone(string source, long frame, IReadOnlyList<FaceSetEntry> faces) => Append(new Record(source, frame, faces.ToArray(), false));

    public void SourceDone(string source) => Append(new Record(source, -1, null, true));

    public void Dispose() => _writer.Dispose();

    private void Append(Record r)
    {
        _writer.WriteLine(JsonSerializer.Serialize(r, AlignedFaceFile.Json));
        Apply(r);
    }

    private void Apply(Record r)
    {
        if (r.Done)
        {
            _done.Add(r.Source);
            return;
        }

        _lastFrame[r.Source] = Math.Max(LastFrame(r.Source), r.Frame);
        (long frames, long withFaces) = Counts(r.Source);
        _counts[r.Source] = (frames + 1, withFaces + (r.Faces is { Length: > 0 } ? 1 : 0));
        _entries.AddRange(r.Faces ?? []);
    }

    private static Record? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<Record>(line, AlignedFaceFile.Json);
        }
        catch (JsonException)
        {
            return null; // a line cut short by a crash
        }
    }

    private sealed record Record(string Source, long Frame, FaceSetEntry[]? Faces, bool Done);
}
