using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>
/// Model passes from merge workers. With one libtorch thread (the merge default, each worker on its own copy of the
/// network) a pass gives the same floats whichever thread runs it and however many run at once, which is what lets a
/// file merge, a render chunk and the per-frame API agree to the byte; with more, OpenMP splits sums differently from
/// thread to thread, by a rounding step.
/// </summary>
[Collection("training")]
public sealed class SwapModelRunnerTests(TrainingFixture data, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Passes_from_several_threads_at_once_equal_sequential_ones_exactly(int torchThreads)
    {
        int before = Torch.TorchThreads.Current;
        Torch.TorchThreads.Set(torchThreads);
        try
        {
            Check(torchThreads == 1 ? 0 : 1e-6);
        }
        finally
        {
            Torch.TorchThreads.Set(before);
        }
    }

    private void Check(double tolerance)
    {
        using SwapModelRunner model = SwapModelRunner.Load(TinyModel.Get(data), BuiltInPlugins.Catalog);
        int r = model.Options.Resolution;
        var random = new Random(7);
        float[][] faces = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, r * r * 3).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        float[][] sequential = faces.Select(f => model.Swap(f, withPredictedMask: false, withDstMask: false).Image).ToArray();
        var parallel = new float[faces.Length * 4][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i => parallel[i] = model.Swap(faces[i % faces.Length], false, false).Image);
        double worst = 0;
        for (int i = 0; i < parallel.Length; i++)
        {
            worst = Math.Max(worst, sequential[i % faces.Length].Zip(parallel[i], (a, b) => (double)Math.Abs(a - b)).Max());
        }

        output.WriteLine($"libtorch threads {Torch.TorchThreads.Current}; largest difference of a concurrent pass from the sequential one: {worst}");
        Assert.True(worst <= tolerance, $"{worst} > {tolerance}");
    }
}
