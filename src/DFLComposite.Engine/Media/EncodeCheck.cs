using System.Diagnostics;
using System.Globalization;

namespace DFLComposite.Engine.Media;

/// <summary>
/// ffmpeg checks around an encode, so a merge fails before its first frame rather than after its last, and never moves
/// a broken file over a good one: <see cref="Preflight"/> encodes one black frame of the output's size with the
/// output's codec to nowhere; <see cref="Verify"/> reads the finished file back (streams and frame count) before it
/// replaces anything. ffmpeg can exit 0 when writing the trailer failed on a full disk; the file then has no index and
/// fails here.
/// </summary>
public static class EncodeCheck
{
    /// <summary>Throws when ffmpeg cannot encode <paramref name="width"/>x<paramref name="height"/> with these arguments.</summary>
    public static void Preflight(string output, int width, int height, string codecArguments, string inputPixelFormat)
    {
        string ffmpeg = FfmpegTools.Find("ffmpeg") ?? throw new Models.ModelFileException("ffmpeg is not on PATH; run ./run.sh setup (it installs it with apt).");
        var args = new List<string>
        {
            "-v", "error", "-f", "lavfi", "-i", FormattableString.Invariant($"color=c=black:s={width}x{height}:d=0.04,format={inputPixelFormat}"),
            "-frames:v", "1",
        };
        args.AddRange(codecArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        args.AddRange(["-f", "null", "-"]);
        (int code, string errors) = Run(ffmpeg, args, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw Settings.JobValidationException.For("output", $"{output}: ffmpeg cannot encode {width}x{height} with these settings ({FirstLine(errors)}); use an image-sequence output or another codec");
        }
    }

    /// <summary>
    /// Checks a finished encode: it opens, has a video stream (and an audio stream when <paramref name="audio"/>) and
    /// holds <paramref name="frames"/> frames. Throws <see cref="OutputWriteException"/> naming the output otherwise.
    /// </summary>
    public static void Verify(string temp, string output, long frames, bool audio)
    {
        string ffprobe = FfmpegTools.Find("ffprobe") ?? throw new Models.ModelFileException("ffprobe is not on PATH; run ./run.sh setup (it installs it with apt).");
        (int code, string text) = Run(ffprobe,
            ["-v", "error", "-count_packets", "-show_entries", "stream=codec_type,nb_read_packets", "-of", "csv=p=0", temp], TimeSpan.FromMinutes(2), stdout: true);
        string[] streams = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        long videoPackets = streams.Where(s => s.StartsWith("video", StringComparison.Ordinal))
            .Select(s => long.TryParse(s.Split(',').ElementAtOrDefault(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : -1)
            .DefaultIfEmpty(-1).First();
        bool hasAudio = streams.Any(s => s.StartsWith("audio", StringComparison.Ordinal));
        if (code != 0 || videoPackets != frames || (audio && !hasAudio))
        {
            string what = code != 0 ? $"it does not open ({FirstLine(text)})"
                : videoPackets != frames ? $"it holds {Math.Max(0, videoPackets)} of {frames} frames"
                : "its audio is missing";
            throw new OutputWriteException($"could not write {output}: ffmpeg's file is incomplete: {what} (is the disk full?). Nothing was replaced; free some space or choose another output.");
        }
    }

    private static (int Code, string Text) Run(string exe, IEnumerable<string> args, TimeSpan timeout, bool stdout = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync(), errors = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout && p.ExitCode == 0 ? output.Result : errors.Result + output.Result);
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
