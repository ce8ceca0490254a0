using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Jobs;

/// <summary>Train a swap model on a src and a dst faceset; an existing model in the workspace resumes.</summary>
public sealed record TrainJob : JobSpec
{
    [Setting("Faceset of the person to put in.", Path = PathRole.Input, Required = true)]
    public string Src { get; init; } = "";

    [Setting("Faceset of the person to replace.", Path = PathRole.Input, Required = true)]
    public string Dst { get; init; } = "";

    [Setting("Model folder: checkpoints, previews, loss history. An existing one resumes.", Short = "-w", Path = PathRole.OutputFolder, Required = true)]
    public string Workspace { get; init; } = "";

    [SettingsGroup("The model: plugin and structural options (fixed once the model exists).")]
    public SwapModelChoice Model { get; init; } = new();

    [SettingsGroup("How training runs (may change between runs of one model).")]
    public TrainSettings Settings { get; init; } = new();

    [Setting("Identity embedder for the identity loss and the identity validation metric.", Plugin = typeof(IFaceEmbedder))]
    public string Embedder { get; init; } = "facerec";

    [Setting("Require an existing model in the workspace (an existing one is always resumed; this makes a missing one an error).")]
    public bool Resume { get; init; }
}
