using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>Train an XSeg face segmentation model on the labelled faces of one or more facesets.</summary>
public sealed record XSegTrainJob : JobSpec
{
    [Setting("Faceset folder(s) with labelled faces.", Flag = "--faceset", Path = PathRole.Input, Required = true)]
    public IReadOnlyList<string> Facesets { get; init; } = [];

    [Setting("XSeg model folder: checkpoints, preview, loss history. An existing one resumes.", Short = "-w", Path = PathRole.OutputFolder, Required = true)]
    public string Workspace { get; init; } = "";

    [SettingsGroup("The model: plugin and structural options (fixed once the model exists).")]
    public SegmentationChoice Model { get; init; } = new();

    [SettingsGroup("How training runs.")]
    public XSegTrainSettings Settings { get; init; } = new();
}

/// <summary>Predict a mask for every face of the facesets and store it in each face's metadata.</summary>
public sealed record XSegApplyJob : JobSpec
{
    [Setting("Trained XSeg workspace (dflc xseg train).", Short = "-w", Path = PathRole.Input, Required = true)]
    public string Workspace { get; init; } = "";

    [Setting("Faceset folder(s) to mask (their faces' metadata is rewritten).", Flag = "--faceset", Path = PathRole.Output, Required = true)]
    public IReadOnlyList<string> Facesets { get; init; } = [];
}
