using System.Diagnostics;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Training;
using DFLComposite.Media;
using Microsoft.Extensions.Logging.Abstractions;
using DFLComposite.Merge;
using VideoWriter = DFLComposite.Engine.Media.VideoWriter;

namespace DFLComposite.Engine.Merge;

public sealed record MergeBenchResult(
    string Input,
    int Width,
    int Height,
    long Frames,
    double MergeFps,
    double DecodeEncodeFps,
    long FramesWithFaces,
    Diagnostics.RunResources Resources,
    Diagnostics.StageTimes? Profile);

/// <summary>
/// Frames per second of a whole merge (decode, track, swap, colour, blend, encode h264) of a clip with a model of
/// the given options (untrained weights: speed does not depend on them), beside a plain decode + encode of the same
/// clip with the same encoder settings, measured in the same process.
/// </summary>
public static class MergeBenchmark
{
    /// <param name="options">The model to time (its weights are random: speed does not depend on them).</param>
    /// <param name="profile">Collect where the time goes, stage by stage (<see cref="Diagnostics.StageTimes"/>).</param>
    public static async Task<MergeBenchResult> RunAsync(string input, Plugins.PluginCatalog catalog, SwapModelOptions options, string scratch, bool profile = false)
    {
        ISwapModel model = catalog.Create<ISwapModel>(options.Model);
        var settings = new MergeSettings { Codec = "h264", Crf = 18 };
        FaceFinder finder = FaceFinders.ForMerge(catalog, settings);
        IColorTransfer color = catalog.Create<IColorTransfer>(settings.Color);
        Directory.CreateDirectory(scratch);
        MediaInfo info = VideoProbe.Probe(input);

        var clock = Stopwatch.StartNew();
        long plain = 0;
        var buffers = new FrameBufferPool(); // as the merge reads and writes: the ceiling decoding and encoding allow it
        await using (var writer = new VideoWriter(Path.Combine(scratch, "plain.mp4"), info.Width, info.Height, info.FrameRate, null, "h264", 18, written: buffers))
        {
            await foreach ((long _, ImageFrame frame) in VideoReader.ReadFrames(input, null, 0, buffers).ConfigureAwait(false))
            {
                writer.Write(frame);
                plain++;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        double plainFps = plain / clock.Elapsed.TotalSeconds;

        TorchSharp.torch.manual_seed(1);
        using SwapModelRunner runner = SwapModelRunner.FromNetwork(options, model.Create(options));
        using var session = new FrameMerger(finder, new FaceComposer(runner, settings, color), settings, VideoProbe.Probe(input).FrameRate);
        var merger = new Merger(session, NullLogger.Instance);
        Diagnostics.StageTimes? times = profile ? Diagnostics.StageTimes.Start() : null;
        Diagnostics.RunResources.Meter meter = Diagnostics.RunResources.Start();
        clock.Restart();
        MergeResult result;
        try
        {
            result = await merger.RunAsync(input, new MergeOutputs(Path.Combine(scratch, "merged.mp4"))).ConfigureAwait(false);
        }
        finally
        {
            Diagnostics.StageTimes.Stop();
        }

        double mergeFps = result.Frames / clock.Elapsed.TotalSeconds;
        return new MergeBenchResult(input, info.Width, info.Height, result.Frames, mergeFps, plainFps, result.FramesWithFaces, meter.Stop(), times);
    }

    /// <summary>
    /// An untrained model of <paramref name="options"/> saved as a workspace (iteration 0), for benchmarks that go through
    /// the file (the OpenFX path: the node loads models from workspaces). Speed does not depend on the weights.
    /// </summary>
    public static void SaveUntrained(Plugins.PluginCatalog catalog, SwapModelOptions options, string workspace)
    {
        Directory.CreateDirectory(workspace);
        ISwapModel model = catalog.Create<ISwapModel>(options.Model);
        TorchSharp.torch.manual_seed(1);
        using SwapNetwork network = model.Create(options);
        using var optimizer = new AdamOptimizer(network.GeneratorParameters(), belief: true, 5e-5);
        long parameters = network.parameters().Sum(p => p.numel());
        Checkpoint.Save(workspace, new CheckpointHeader(1, options, new TrainSettings(), 0, DateTimeOffset.UtcNow, parameters), network, optimizer, new LossHistory(), backups: 0);
    }
}
