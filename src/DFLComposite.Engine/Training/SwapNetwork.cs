using DFLComposite.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>Which person an image belongs to.</summary>
public enum FaceSide
{
    Src,
    Dst,
}

/// <summary>
/// A trainable swap network: two people in, reconstructions and a swap out. Images are NCHW float tensors in
/// [0, 1] at <see cref="SwapModelOptions.Resolution"/>; masks are N1HW in [0, 1]. The engine's trainer owns losses,
/// optimiser, sampling and checkpoints; a network only defines its layers and these three passes.
/// </summary>
public abstract class SwapNetwork(string name) : nn.Module(name)
{
    // libtorch's process settings (NNPACK off, see TorchRuntime) before any network runs, whichever command runs it
    static SwapNetwork() => Torch.TorchRuntime.EnsureConfigured();

    /// <summary>Autoencode a face of one side (src -> src, dst -> dst): what training compares with its target.</summary>
    public abstract (Tensor Image, Tensor Mask) Reconstruct(Tensor faces, FaceSide side);

    /// <summary>The swap: dst faces rendered as the src person, with the predicted mask.</summary>
    public abstract (Tensor Image, Tensor Mask) Swap(Tensor dstFaces);

    /// <summary>
    /// The swap's image only, for merges whose mask does not come from the model (the default "dst" mask): a network
    /// can skip its mask branch, about a tenth of a pass. The default runs <see cref="Swap"/> and drops the mask.
    /// </summary>
    public virtual Tensor SwapImage(Tensor dstFaces)
    {
        (Tensor image, Tensor mask) = Swap(dstFaces);
        mask.Dispose();
        return image;
    }

    /// <summary>Parameters of the generator (all of them unless a network keeps an auxiliary part apart).</summary>
    public virtual IEnumerable<TorchSharp.Modules.Parameter> GeneratorParameters() => parameters();
}

/// <summary>
/// A swap model family, exported as a MEF part: <c>[PluginExport(typeof(ISwapModel), "saehd", ...)]</c>.
/// It turns options into a fresh network and says which options it understands.
/// </summary>
[PluginFamily("train", "model")]
public interface ISwapModel : IPluginPart
{
    /// <summary>Options filled with this model's defaults (DeepFaceLab's for SAEHD).</summary>
    SwapModelOptions Defaults();

    /// <summary>Checks options and throws <see cref="UserErrorException"/> naming the bad one.</summary>
    void Validate(SwapModelOptions options);

    /// <summary>A network with freshly initialised weights for these options.</summary>
    SwapNetwork Create(SwapModelOptions options);
}
