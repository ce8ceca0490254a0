using DFLComposite.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// A trainable face segmenter: aligned faces in (N x 3 x R x R, BGR in [0, 1]), one logit per pixel out
/// (N x 1 x R x R; sigmoid gives the probability that the pixel is face). The engine owns sampling, loss,
/// optimiser, checkpoints and prediction; a network only defines its layers.
/// </summary>
public abstract class SegmentationNetwork(string name) : nn.Module<Tensor, Tensor>(name);

/// <summary>
/// A segmentation model family, exported as a MEF part: <c>[PluginExport(typeof(ISegmentationModel), "xseg", ...)]</c>.
/// Lives in the engine (not Abstractions) because its networks are TorchSharp modules.
/// </summary>
[PluginFamily("mask", "segmenter")]
public interface ISegmentationModel : IPluginPart
{
    /// <summary>Options filled with this model's defaults (DeepFaceLab's XSeg: 256 px, wf, 32 base channels).</summary>
    SegmentationOptions Defaults();

    /// <summary>Checks options and throws <see cref="UserErrorException"/> naming the bad one.</summary>
    void Validate(SegmentationOptions options);

    /// <summary>A network with freshly initialised weights for these options.</summary>
    SegmentationNetwork Create(SegmentationOptions options);
}
