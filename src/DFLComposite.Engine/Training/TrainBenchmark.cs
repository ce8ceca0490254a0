using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

public sealed record TrainBenchResult(
    SwapModelOptions Options,
    int BatchSize,
    int Threads,
    double MsPerIteration,
    double GflopPerIteration,
    double AchievedGflops,
    double MatmulGflops);

/// <summary>
/// Times the training step (forward, backward, AdaBelief update of both sides) on synthetic batches, counts
/// the step's floating-point work from the convolution and dense layers' shapes (forward x 3 for the backward
/// pass), and measures libtorch's own matmul rate in the same process for comparison.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchResult Run(ISwapModel model, SwapModelOptions options, int batch = 8, int warmup = 3, int iterations = 10)
    {
        manual_seed(1);
        using SwapNetwork network = model.Create(options);
        using var optimizer = new AdamOptimizer(network.GeneratorParameters(), belief: true, lr: 5e-5);
        var settings = new TrainSettings { BatchSize = batch };
        var step = new TrainStep(network, optimizer, settings, options.Resolution);
        int r = options.Resolution;
        using SampleBatch src = Synthetic(batch, r, 1), dst = Synthetic(batch, r, 2);

        double forwardFlops = CountForwardFlops(network, src.Input);
        for (int i = 0; i < warmup; i++)
        {
            step.Run(src, dst);
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            step.Run(src, dst);
        }

        double ms = clock.Elapsed.TotalMilliseconds / iterations;
        // two sides, forward + backward (~2x forward)
        double stepFlops = forwardFlops * 2 * 3;
        return new TrainBenchResult(options, batch, get_num_threads(), ms, stepFlops / 1e9, stepFlops / 1e9 / (ms / 1000), MatmulGflops());
    }

    private static SampleBatch Synthetic(int n, int r, int seed)
    {
        var g = new Generator((ulong)seed);
        return new SampleBatch(rand([n, 3, r, r], generator: g), rand([n, 3, r, r], generator: g), rand([n, 1, r, r], generator: g), zeros(n, 1, r, r));
    }

    // FLOPs of one forward pass of one side, from each conv/dense layer's weight shape and output size.
    private static double CountForwardFlops(SwapNetwork network, Tensor input)
    {
        double flops = 0;
        var removers = new List<Action>();
        foreach (var (_, module) in network.named_modules())
        {
            if (module is Conv2d conv)
            {
                long perOutput = 2 * conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3];
                var hook = conv.register_forward_hook((m, x, y) =>
                {
                    flops += perOutput * y.numel();
                    return y;
                });
                removers.Add(() => hook.remove());
            }
            else if (module is Linear linear)
            {
                long perOutput = 2 * linear.weight!.shape[1];
                var hook = linear.register_forward_hook((m, x, y) =>
                {
                    flops += perOutput * y.numel();
                    return y;
                });
                removers.Add(() => hook.remove());
            }
        }

        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            network.Reconstruct(input, FaceSide.Src);
        }

        removers.ForEach(remove => remove()); // no hooks in the timed loop
        return flops;
    }

    private static double MatmulGflops()
    {
        const int n = 1024;
        using Tensor a = randn(n, n), b = randn(n, n);
        for (int i = 0; i < 3; i++)
        {
            using Tensor w = a.mm(b);
        }

        const int reps = 20;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++)
        {
            using Tensor c = a.mm(b);
        }

        return 2.0 * n * n * n * reps / clock.Elapsed.TotalSeconds / 1e9;
    }
}
