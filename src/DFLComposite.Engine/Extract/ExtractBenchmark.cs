using System.Diagnostics;
using DFLComposite.Engine.Diagnostics;
using DFLComposite.Engine.Media;
using DFLComposite.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Extract;

public sealed record ExtractBenchResult(
    string Input,
    int Width,
    int Height,
    long Frames,
    int Faces,
    double FacesPerSecond,
    double FramesPerSecond,
    double DecodeFps,
    RunResources Resources,
    StageTimes? Profile);

/// <summary>
/// Faces per second of a whole extraction of a clip (decode, detect, landmarks, align, write) with the given settings,
/// beside a decode-only pass over the same clip in the same process, so the ratio is a like-for-like measure of how
/// much of the machine's decoding speed extraction keeps.
/// </summary>
public static class ExtractBenchmark
{
    public static async Task<ExtractBenchResult> RunAsync(
        string input, Plugins.PluginCatalog catalog, ExtractSettings settings, string scratch, bool profile = false, int workers = 0)
    {
        MediaInfo info = VideoProbe.Probe(input);
        var clock = Stopwatch.StartNew();
        long decoded = 0;
        var buffers = new FrameBufferPool(); // as the extractor reads: the ceiling decoding allows it
        await foreach ((long _, ImageFrame frame) in VideoReader.ReadFrames(input, null, 0, buffers).ConfigureAwait(false))
        {
            decoded++;
            buffers.Return(frame);
        }

        double decodeFps = decoded / clock.Elapsed.TotalSeconds;

        FaceFinder finder = FaceFinders.ForExtract(catalog, settings);
        var extractor = new Extractor(finder, settings, NullLogger.Instance, workers);
        string output = Path.Combine(scratch, "faces");
        StageTimes? times = profile ? StageTimes.Start() : null;
        RunResources.Meter meter = RunResources.Start();
        clock.Restart();
        ExtractResult result;
        try
        {
            result = await extractor.RunAsync([input], output).ConfigureAwait(false);
        }
        finally
        {
            StageTimes.Stop();
        }

        double seconds = clock.Elapsed.TotalSeconds;
        RunResources resources = meter.Stop();
        long frames = result.Sources.Sum(s => s.Frames);
        return new ExtractBenchResult(input, info.Width, info.Height, frames, result.Faces, result.Faces / seconds, frames / seconds, decodeFps, resources, times);
    }
}
