using DFLComposite.Engine.Settings;
using DFLComposite.Engine;
using DFLComposite.Engine.Training;
using DFLComposite.Plugins;

namespace DFLComposite.Plugins.Saehd;

/// <summary>DeepFaceLab's SAEHD: df or liae with -u / -d variants, resolution 64-640.</summary>
[PluginExport(typeof(ISwapModel), "saehd", "1.0", "SAEHD autoencoder: df / liae, -u -d variants (TorchSharp)")]
public sealed class SaehdModel : ISwapModel
{
    public void Initialize(PluginContext context)
    {
    }

    public SwapModelOptions Defaults() => new() { Model = "saehd" };

    public void Validate(SwapModelOptions options)
    {
        SwapModelOptions o = options;
        if (o.BaseArchi is not ("df" or "liae"))
        {
            throw JobValidationException.For("model.archi", $"{o.Archi}: use df or liae, optionally with -u, -d or -ud");
        }

        string flags = o.Archi.Contains('-') ? o.Archi.Split('-')[1] : "";
        if (flags.Any(c => c is not ('u' or 'd')))
        {
            throw JobValidationException.For("model.archi", $"{o.Archi}: the only variants are -u, -d and -ud");
        }

        int multiple = o.IsD ? 32 : 16;
        if (o.Resolution is < 64 or > 640 || o.Resolution % multiple != 0)
        {
            throw JobValidationException.For("model.resolution", $"{o.Resolution}: use 64 to 640, a multiple of {multiple} for {o.Archi}");
        }

        if (o.AeDims < 8 || o.EDims < 4 || o.DDims < 4 || o.DMaskDims < 2)
        {
            throw JobValidationException.For("model.aeDims", "the model widths (ae, e, d, mask dims) are too small");
        }
    }

    public SwapNetwork Create(SwapModelOptions options)
    {
        Validate(options);
        return options.BaseArchi == "df" ? new DfNetwork(options) : new LiaeNetwork(options);
    }
}

/// <summary>DeepFaceLab's Quick96: a small df model at 96 px for a fast first result.</summary>
[PluginExport(typeof(ISwapModel), "quick96", "1.0", "Quick96: df, 96 px, ae 128, e 64, d 64, mask 16")]
public sealed class Quick96Model : ISwapModel
{
    private readonly SaehdModel _saehd = new();

    public void Initialize(PluginContext context)
    {
    }

    public SwapModelOptions Defaults() => new()
    {
        Model = "quick96", Resolution = 96, FaceType = Faces.FaceType.Full, Archi = "df", AeDims = 128, EDims = 64, DDims = 64, DMaskDims = 16,
    };

    public void Validate(SwapModelOptions options) => _saehd.Validate(options);

    public SwapNetwork Create(SwapModelOptions options) => _saehd.Create(options);
}
