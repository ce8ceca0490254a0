using FFMpegCore;
using FFMpegCore.Exceptions;

namespace DFLComposite.Engine.Media;

/// <summary>Reads a video's geometry, rate, length and streams with ffprobe, with errors a user can act on.</summary>
public static class VideoProbe
{
    public static MediaInfo Probe(string path)
    {
        if (Directory.Exists(path))
        {
            throw new MediaException($"{path} is a folder; give a video or an image file (extraction also takes folders of images).");
        }

        if (!File.Exists(path))
        {
            throw new MediaException(new FileInfo(path).LinkTarget is { } target
                ? $"{path}: a link to something that does not exist ({target})."
                : $"{path}: file not found. Check the path.");
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
        // The stream header's frame count when the container has one (mp4, mov); else duration x rate.
        long frames = HeaderFrameCount(path) ?? (long)Math.Round(duration.TotalSeconds * fps);
        bool constant = video.RealFrameRate > 0 && Math.Abs(video.RealFrameRate - video.AverageFrameRate) < 0.01;
        return new MediaInfo(path, width, height, fps, frames, duration, analysis.PrimaryAudioStream is not null, video.CodecName ?? "unknown", constant,
            Math.Max(0, (video.StartTime - analysis.Format.StartTime).TotalSeconds));
    }

    private static long? HeaderFrameCount(string path)
    {
        string? ffprobe = FfmpegTools.Find("ffprobe");
        if (ffprobe is null)
        {
            return null;
        }

        var psi = new System.Diagnostics.ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=nb_frames", "-of", "csv=p=0", path })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi);
        if (p is null)
        {
            return null;
        }

        string text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit(10_000);
        return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n) && n > 0 ? n : null;
    }

    private static string FirstLine(string s)
    {
        string line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? s;
        return line.Length > 200 ? line[..200] : line;
    }
}
