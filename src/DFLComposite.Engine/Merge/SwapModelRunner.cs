using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Merge;

/// <summary>A trained model loaded for inference: options from its checkpoint, the network in eval mode.</summary>
public sealed class SwapModelRunner : IDisposable
{
    // One forward at a time, whatever the libtorch thread count: two passes at once (on one module or on two copies)
    // were measured to differ from sequential ones now and then, which broke the byte-for-byte agreement of a file
    // merge with the per-frame API; and with libtorch on several threads one pass already uses every core.
    private readonly Lock _forward = new();

    private SwapModelRunner(SwapModelOptions options, SwapNetwork network)
    {
        Options = options;
        Network = network;
    }

    public SwapModelOptions Options { get; }

    public SwapNetwork Network { get; }

    /// <summary>Wraps a trained network already loaded (options and network from its checkpoint).</summary>
    public static SwapModelRunner FromNetwork((SwapModelOptions Options, SwapNetwork Network) loaded) => FromNetwork(loaded.Options, loaded.Network);

    /// <summary>Wraps a network already in memory (benchmarks, tests).</summary>
    public static SwapModelRunner FromNetwork(SwapModelOptions options, SwapNetwork network)
    {
        network.eval();
        return new SwapModelRunner(options, network);
    }

    /// <param name="log">Where a fallback to a backup (a damaged model.dflc) is said.</param>
    public static SwapModelRunner Load(string workspace, PluginCatalog catalog, Microsoft.Extensions.Logging.ILogger? log = null)
    {
        (CheckpointHeader header, string file, string? warning) = SwapWorkspace.Find(workspace);
        if (warning is not null && log is not null)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, "{Warning}", warning);
        }

        ISwapModel model = catalog.Create<ISwapModel>(header.Options.Model);
        SwapNetwork network = model.Create(header.Options);
        try
        {
            SwapWorkspace.LoadWeights(file, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        network.eval();
        return new SwapModelRunner(header.Options, network);
    }

    /// <summary>
    /// Swaps one face crop (BGR float HWC at the model's resolution): the predicted src face, its learned mask (empty
    /// unless asked for) and the model's learned mask of the dst face (empty unless asked for).
    /// </summary>
    /// <param name="withPredictedMask">Also run the model's mask branch (only the learned-prd mask modes need it).</param>
    /// <param name="withDstMask">Also run the dst reconstruction for its mask (a second decoder pass: only the learned-dst modes need it).</param>
    public (float[] Image, float[] PredictedMask, float[] DstMask) Swap(float[] bgrHwc, bool withPredictedMask, bool withDstMask)
    {
        int r = Options.Resolution;
        var waiting = Diagnostics.StageTimes.Measure("wait: model");
        lock (_forward)
        {
            waiting.Dispose();
            return Forward(bgrHwc, withPredictedMask, withDstMask, r);
        }
    }

    // Called holding the lock.
    private (float[] Image, float[] PredictedMask, float[] DstMask) Forward(float[] bgrHwc, bool withPredictedMask, bool withDstMask, int r)
    {
        using var timing = Diagnostics.StageTimes.Measure("model");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(bgrHwc, [1, r, r, 3]).permute(0, 3, 1, 2).contiguous();
        float[] predicted = [];
        Tensor image;
        if (withPredictedMask)
        {
            (image, Tensor mask) = Network.Swap(input);
            predicted = mask.data<float>().ToArray();
        }
        else
        {
            image = Network.SwapImage(input);
        }

        float[] img = image.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        if (!withDstMask)
        {
            return (img, predicted, []);
        }

        (_, Tensor dstMask) = Network.Reconstruct(input, FaceSide.Dst);
        return (img, predicted, dstMask.data<float>().ToArray());
    }

    public void Dispose() => Network.Dispose();
}
