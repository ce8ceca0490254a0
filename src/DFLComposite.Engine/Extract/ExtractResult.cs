namespace DFLComposite.Engine.Extract;

/// <summary>Where extraction is: which source, which frame of how many, faces so far.</summary>
public sealed record ExtractProgress(string Source, int SourceNumber, int SourceCount, long Frame, long TotalFrames, int Faces);

/// <summary>Per-input outcome: frames looked at, frames with at least one face, faces written.</summary>
public sealed record SourceSummary(string Path, bool IsVideo, long Frames, long FramesWithFaces, int Faces);

public sealed record ExtractResult(string Output, int Faces, IReadOnlyList<SourceSummary> Sources, IReadOnlyList<string> Skipped, bool Resumed);
