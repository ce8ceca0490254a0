using DFLComposite.Engine.Settings;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Training;

/// <summary>
/// Which swap model a job trains, as asked: the plugin and any structural options given on purpose. Options left out
/// take the plugin's own defaults for a new model, and the stored values when a model exists (an option given that
/// disagrees with a stored model is an error, <see cref="StructuralOptions"/>).
/// </summary>
public sealed record SwapModelChoice
{
    [Setting("Swap model plugin (saehd, quick96; see `dflc plugins`).", Plugin = typeof(ISwapModel))]
    public string Model { get; init; } = "saehd";

    [Setting("Face resolution in pixels, a multiple of 16 (32 for -d architectures); default: the model's.", Min = 32, Max = 640)]
    public int? Resolution { get; init; }

    [Setting("Face type the model works on: h, mf, f, wf or head; default: the model's.", Choices = ["h", "mf", "f", "wf", "head"])]
    public FaceType? FaceType { get; init; }

    [Setting("Architecture: df or liae, with -u (pixel norm), -d (double resolution) or -ud; default: the model's.",
        Choices = ["df", "df-u", "df-d", "df-ud", "liae", "liae-u", "liae-d", "liae-ud"])]
    public string? Archi { get; init; }

    [Setting("Autoencoder bottleneck width; default: the model's.", Min = 8, Max = 1024)]
    public int? AeDims { get; init; }

    [Setting("Encoder width; default: the model's.", Min = 4, Max = 256)]
    public int? EDims { get; init; }

    [Setting("Decoder width; default: the model's.", Min = 4, Max = 256)]
    public int? DDims { get; init; }

    [Setting("Mask decoder width; default: the model's.", Min = 2, Max = 256)]
    public int? DMaskDims { get; init; }

    /// <summary>The options for <paramref name="model"/>'s defaults with the given ones applied, and the JSON names of those given.</summary>
    public (SwapModelOptions Options, IReadOnlySet<string> Given) Resolve(ISwapModel model)
    {
        SwapModelOptions d = model.Defaults();
        var given = new HashSet<string>();
        T Pick<T>(T? value, string name, T fallback) where T : struct
        {
            if (value is null)
            {
                return fallback;
            }

            given.Add(name);
            return value.Value;
        }

        var options = d with
        {
            Resolution = Pick(Resolution, "resolution", d.Resolution),
            FaceType = Pick(FaceType, "faceType", d.FaceType),
            Archi = Archi ?? d.Archi,
            AeDims = Pick(AeDims, "aeDims", d.AeDims),
            EDims = Pick(EDims, "eDims", d.EDims),
            DDims = Pick(DDims, "dDims", d.DDims),
            DMaskDims = Pick(DMaskDims, "dMaskDims", d.DMaskDims),
        };
        if (Archi is not null)
        {
            given.Add("archi");
        }

        return (options, given);
    }
}
