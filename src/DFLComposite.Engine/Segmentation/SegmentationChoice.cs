using DFLComposite.Engine.Settings;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// Which segmentation model an XSeg job trains: the plugin and the structural options given on purpose (the rest take
/// the plugin's defaults for a new model, the stored values for an existing one).
/// </summary>
public sealed record SegmentationChoice
{
    [Setting("Segmentation plugin (see `dflc plugins`).", Plugin = typeof(ISegmentationModel))]
    public string Model { get; init; } = "xseg";

    [Setting("Input side in pixels, a multiple of 64; default: the model's (256).", Min = 64, Max = 1024)]
    public int? Resolution { get; init; }

    [Setting("Face type the model works on: h, mf, f, wf or head; default: the model's (wf).", Choices = ["h", "mf", "f", "wf", "head"])]
    public FaceType? FaceType { get; init; }

    [Setting("Width of the first block; default: the model's (32).", Min = 4, Max = 256)]
    public int? BaseChannels { get; init; }

    public (SegmentationOptions Options, IReadOnlySet<string> Given) Resolve(ISegmentationModel model)
    {
        SegmentationOptions d = model.Defaults();
        var given = new HashSet<string>();
        if (Resolution is not null)
        {
            given.Add("resolution");
        }

        if (FaceType is not null)
        {
            given.Add("faceType");
        }

        if (BaseChannels is not null)
        {
            given.Add("baseChannels");
        }

        return (d with { Resolution = Resolution ?? d.Resolution, FaceType = FaceType ?? d.FaceType, BaseChannels = BaseChannels ?? d.BaseChannels }, given);
    }
}
