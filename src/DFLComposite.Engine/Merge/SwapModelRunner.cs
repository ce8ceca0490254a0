using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Merge;

/// <summary>A trained model loaded for inference: options from its checkpoint, the network in eval mode.</summary>
public sealed class SwapModelRunner : IDisposable
{
    private SwapModelRunner(SwapModelOptions options, SwapNetwork network)
    {
        Options = options;
        Network = network;
    }

    public SwapModelOptions Options { get; }

    public SwapNetwork Network { get; }

    public static SwapModelRunner Load(string workspace, PluginCatalog catalog)
    {
        (CheckpointHeader header, string file, _) = Checkpoint.Find(workspace);
        ISwapModel model = catalog.Create<ISwapModel>(header.Options.Model);
        SwapNetwork network = model.Create(header.Options);
        Checkpoint.LoadWeights(file, network);
        network.eval();
        return new SwapModelRunner(header.Options, network);
    }

    /// <summary>
    /// Swaps one face crop (BGR float HWC at the model's resolution): the predicted src face, its learned mask,
    /// and the model's learned mask of the dst face (for the learned-dst mask modes).
    /// </summary>
    public (float[] Image, float[] PredictedMask, float[] DstMask) Swap(float[] bgrHwc)
    {
        int r = Options.Resolution;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(bgrHwc, [1, r, r, 3]).permute(0, 3, 1, 2).contiguous();
        (Tensor image, Tensor mask) = Network.Swap(input);
        (_, Tensor dstMask) = Network.Reconstruct(input, FaceSide.Dst);
        float[] img = image.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        return (img, mask.data<float>().ToArray(), dstMask.data<float>().ToArray());
    }

    public void Dispose() => Network.Dispose();
}
