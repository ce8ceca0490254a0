using DFLComposite.Engine.Settings;
using DFLComposite.Engine;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Plugins;

namespace DFLComposite.Plugins.XSeg;

/// <summary>DeepFaceLab's XSeg face segmenter: trained from include/exclude polygons, predicts a face mask.</summary>
[PluginExport(typeof(ISegmentationModel), "xseg", "1.0", "XSeg face segmentation U-Net (TorchSharp), trained from polygon labels")]
public sealed class XSegModel : ISegmentationModel
{
    public void Initialize(PluginContext context)
    {
    }

    public SegmentationOptions Defaults() => new() { Model = "xseg" };

    public void Validate(SegmentationOptions options)
    {
        // Six stride-2 downscales and a dense layer sized by what is left: the side must divide by 64.
        if (options.Resolution is < 64 or > 512 || options.Resolution % 64 != 0)
        {
            throw JobValidationException.For("model.resolution", $"{options.Resolution}: XSeg needs 64 to 512, a multiple of 64 (DeepFaceLab uses 256)");
        }

        if (options.BaseChannels is < 4 or > 128)
        {
            throw JobValidationException.For("model.baseChannels", $"{options.BaseChannels}: use 4 to 128 (DeepFaceLab uses 32)");
        }
    }

    public SegmentationNetwork Create(SegmentationOptions options)
    {
        Validate(options);
        return new XSegNetwork(options.Resolution, options.BaseChannels);
    }
}
