using FFMpegCore;
using FFMpegCore.Exceptions;

namespace DFLComposite.Engine.Media;

/// <summary>Reads a video's geometry, rate, length and streams with ffprobe, with errors a user can act on.</summary>
public static class VideoProbe
{
    public static MediaInfo Probe(string path)
    {
        if (!File.Exists(path))
        {
            throw new MediaException($"{path}: file not found. Check the path.");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new MediaException($"{path}: the file is empty (0 bytes). Re-export or re-copy it.");
        }

        IMediaAnalysis analysis;
        try
        {
            analysis = FFProbe.Analyse(path);
        }
        catch (Exception ex) when (ex is FFMpegException or FFProbeProcessException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new MediaException(
                $"{path}: ffprobe cannot read it as video ({FirstLine(ex.Message)}). The file may be truncated or not a video; re-export it.", ex);
        }

        VideoStream? video = analysis.PrimaryVideoStream;
        if (video is null || video.Width is not > 0 || video.Height is not > 0)
        {
            throw new MediaException($"{path}: has no video stream. Give a video or an image file.");
        }

        bool sideways = Math.Abs(video.Rotation) % 180 == 90;
        int w = video.Width.GetValueOrDefault(), h = video.Height.GetValueOrDefault();
        int width = sideways ? h : w;
        int height = sideways ? w : h;
        double fps = video.AverageFrameRate > 0 ? video.AverageFrameRate : 25.0;
        TimeSpan duration = video.Duration > TimeSpan.Zero ? video.Duration : analysis.Duration;
        // ffprobe's container duration x rate; exact for constant-rate files, an estimate otherwise.
        long frames = (long)Math.Round(duration.TotalSeconds * fps);
        return new MediaInfo(path, width, height, fps, frames, duration, analysis.PrimaryAudioStream is not null, video.CodecName ?? "unknown");
    }

    private static string FirstLine(string s)
    {
        string line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? s;
        return line.Length > 200 ? line[..200] : line;
    }
}
