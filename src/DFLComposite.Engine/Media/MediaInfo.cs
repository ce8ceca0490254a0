namespace DFLComposite.Engine.Media;

/// <summary>What ffprobe says about a video file, after applying its display rotation.</summary>
public sealed record MediaInfo(
    string Path,
    int Width,
    int Height,
    double FrameRate,
    long FrameCount,
    TimeSpan Duration,
    bool HasAudio,
    string VideoCodec);
