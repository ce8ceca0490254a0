using DFLComposite.Engine.Training;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Tests.Training;

[Collection("training")]
public sealed class TrainerTests(TrainingFixture data, ITestOutputHelper output)
{
    private static ISwapModel Saehd => BuiltInPlugins.Catalog.Create<ISwapModel>("saehd");

    private static TrainResult Train(string ws, TrainingFixture data, TrainSettings settings, SwapModelOptions? options = null) =>
        new Trainer(Saehd, settings, NullLogger.Instance).Run(ws, data.Src, data.Dst, options ?? TrainingFixture.Tiny64, new HashSet<string>(), null, CancellationToken.None);

    [SkippableFact]
    public void A_64px_df_model_learns_two_real_faces_and_shows_them()
    {
        Skip.IfNot(TestPaths.HasSharedData, "needs ../shared/data");
        string ws = data.NewWorkspace();
        TrainResult r = Train(ws, data, new TrainSettings { BatchSize = 8, LearningRate = 3e-4, MaxIterations = 100, PreviewEvery = 50, SaveEveryMinutes = 0 });

        float[] total = r.History.Points.Select(p => p.Src + p.Dst).ToArray();
        double first = total.Take(20).Average(), last = total.TakeLast(20).Average();
        output.WriteLine($"mean loss, first 20: {first:F3}, last 20: {last:F3} ({1 - (last / first):P0} lower)");
        Assert.Equal(100, r.Iteration);
        Assert.True(last < first * 0.85, $"loss should fall clearly: first 20 {first:F3}, last 20 {last:F3}");

        // The preview is a grid of faces: src | src->src | dst | dst->dst | dst->src, 4 rows of 64 px.
        using Mat preview = Cv2.ImRead(Path.Combine(ws, Trainer.PreviewFile));
        Assert.Equal((5 * 64, 4 * 64), (preview.Width, preview.Height));
        using var reconstruction = new Mat(preview, new Rect(64, 0, 64, 256));
        using var original = new Mat(preview, new Rect(0, 0, 64, 256));
        Cv2.MeanStdDev(reconstruction, out _, out Scalar std);
        Assert.True(std.Val0 > 10, "the reconstruction column has structure, not a flat colour");
        double error = Cv2.Norm(reconstruction, original, NormTypes.L1) / (64 * 256 * 3);
        output.WriteLine($"src->src mean abs error in the preview: {error:F1} levels");
        Assert.True(error < 40, $"src->src should resemble src ({error:F1} levels off)");

        using Mat plot = Cv2.ImRead(Path.Combine(ws, Trainer.LossPlotFile));
        Assert.True(plot.Width > 400 && Cv2.Mean(plot).Val0 < 254.5, "loss plot drawn");
        Assert.Equal(101, File.ReadAllLines(Path.Combine(ws, Trainer.LossCsvFile)).Length);
    }

    [SkippableFact]
    public void Forty_iterations_straight_equal_twenty_plus_a_resumed_twenty()
    {
        Skip.IfNot(TestPaths.HasSharedData, "needs ../shared/data");
        var settings = new TrainSettings { BatchSize = 4, LearningRate = 2e-4, SaveEveryMinutes = 0, PreviewEvery = 0 };
        string straight = data.NewWorkspace(), split = data.NewWorkspace();
        TrainResult a = Train(straight, data, settings with { MaxIterations = 40 });
        Train(split, data, settings with { MaxIterations = 20 });
        TrainResult b = Train(split, data, settings with { MaxIterations = 40 });
        Assert.True(b.Resumed);
        Assert.Equal(40, b.Iteration);

        // Same batches (sampling depends only on seed and iteration) and restored optimiser state, so the same losses...
        float[] la = a.History.Points.Select(p => p.Src + p.Dst).ToArray();
        float[] lb = b.History.Points.Select(p => p.Src + p.Dst).ToArray();
        double worst = la.Zip(lb, (x, y) => Math.Abs(x - y) / Math.Max(1e-6, Math.Abs(x))).Max();
        output.WriteLine($"largest relative loss difference over 40 iterations: {worst:E2}");
        Assert.True(worst < 1e-4, $"loss trajectories differ by {worst:E2}");

        // ... and the same weights.
        double weights = MaxWeightDifference(straight, split);
        output.WriteLine($"largest weight difference: {weights:E2}");
        Assert.True(weights < 1e-5, $"weights differ by {weights:E2}");
    }

    [SkippableFact]
    public void Changing_a_structural_option_on_an_existing_model_is_refused()
    {
        Skip.IfNot(TestPaths.HasSharedData, "needs ../shared/data");
        string ws = data.NewWorkspace();
        Train(ws, data, new TrainSettings { BatchSize = 2, MaxIterations = 1, PreviewEvery = 0, SaveEveryMinutes = 0 });
        var ex = Assert.Throws<Settings.JobValidationException>(() => new Trainer(Saehd, new TrainSettings { BatchSize = 2, MaxIterations = 2 }, NullLogger.Instance)
            .Run(ws, data.Src, data.Dst, TrainingFixture.Tiny64 with { Resolution = 128 }, new HashSet<string> { "resolution" }, null, CancellationToken.None));
        Assert.Equal("model.resolution", Assert.Single(ex.Errors).Path);
        Assert.Contains("has 64; it cannot change to 128", ex.Message);
    }

    [SkippableFact]
    public void A_corrupt_checkpoint_falls_back_to_the_newest_good_backup()
    {
        Skip.IfNot(TestPaths.HasSharedData, "needs ../shared/data");
        string ws = data.NewWorkspace();
        var settings = new TrainSettings { BatchSize = 2, PreviewEvery = 0, SaveEveryMinutes = 0, SaveEveryIterations = 2, Backups = 2 };
        Train(ws, data, settings with { MaxIterations = 6 });
        string model = Path.Combine(ws, Checkpoint.FileName);
        Assert.Null(Checkpoint.Find(ws).Warning); // verified once: its header is now remembered
        byte[] bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(model, bytes); // one flipped bit pattern, same size: the remembered header must not hide it
        Assert.Contains("checksum", Checkpoint.Find(ws).Warning);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]); // truncated
        (CheckpointHeader header, string file, string? warning) = Checkpoint.Find(ws);
        Assert.NotNull(warning);
        Assert.Contains("damaged", warning);
        Assert.NotEqual(model, file);
        Assert.Equal(4, header.Iteration);
        TrainResult r = Train(ws, data, settings with { MaxIterations = 8 });
        Assert.True(r.Resumed);
        Assert.Equal(8, r.Iteration);
    }

    private static double MaxWeightDifference(string wsA, string wsB)
    {
        using SwapNetwork a = Saehd.Create(TrainingFixture.Tiny64), b = Saehd.Create(TrainingFixture.Tiny64);
        using var oa = new AdamOptimizer(a.parameters(), true, 1e-4);
        using var ob = new AdamOptimizer(b.parameters(), true, 1e-4);
        Checkpoint.Load(Path.Combine(wsA, Checkpoint.FileName), a, oa);
        Checkpoint.Load(Path.Combine(wsB, Checkpoint.FileName), b, ob);
        double worst = 0;
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
        {
            using var scope = NewDisposeScope(); // holds the temporaries until libtorch is done with them
            Tensor d = (pa - pb).abs().max();
            worst = Math.Max(worst, d.item<float>());
        }

        return worst;
    }
}
