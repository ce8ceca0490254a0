namespace DFLComposite.Engine.Media;

/// <summary>
/// What ffprobe says about a video file, after applying its display rotation. <see cref="ConstantFrameRate"/>: the
/// stream's base rate equals its average, so frame n sits at <see cref="VideoOffset"/> + n / rate and a frame number
/// can be found by seeking. <see cref="VideoOffset"/>: when the first video frame starts after the file's start (audio
/// often starts earlier), the seconds between them.
/// </summary>
public sealed record MediaInfo(
    string Path,
    int Width,
    int Height,
    double FrameRate,
    long FrameCount,
    TimeSpan Duration,
    bool HasAudio,
    string VideoCodec,
    bool ConstantFrameRate = false,
    double VideoOffset = 0);
