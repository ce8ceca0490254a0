using DFLComposite.Engine.Tests.Training;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Training;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>A tiny model trained once per test run (a few iterations: merge tests need a model, not a good one).</summary>
internal static class TinyModel
{
    private static readonly object Gate = new();
    private static string? _workspace;

    public static string Get(TrainingFixture data)
    {
        lock (Gate)
        {
            if (_workspace is null)
            {
                string ws = data.NewWorkspace();
                new Trainer(BuiltInPlugins.Catalog.Create<ISwapModel>("saehd"), new TrainSettings { BatchSize = 4, LearningRate = 3e-4, MaxIterations = 30, PreviewEvery = 0, SaveEveryMinutes = 0 }, NullLogger.Instance)
                    .Run(ws, data.Src, data.Dst, TrainingFixture.Tiny64, new HashSet<string>(), null, CancellationToken.None);
                _workspace = ws;
            }

            return _workspace;
        }
    }
}

/// <summary>File mergers over a fresh <see cref="FrameMerger"/> session, as the merge runner builds them.</summary>
internal static class TestMergers
{
    public static Merger For(Engine.Extract.FaceFinder finder, IFaceCompositor compositor, MergeSettings settings, string input) =>
        new(new FrameMerger(finder, compositor, settings, Fps(input)), NullLogger.Instance);

    private static double Fps(string input) => Media.ImageIO.IsImage(input) ? 25 : Media.VideoProbe.Probe(input).FrameRate;
}
