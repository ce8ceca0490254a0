using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>Measure a trained model: identity, expression and pose fidelity, reconstruction, temporal stability.</summary>
public sealed record EvaluateJob : JobSpec
{
    [Setting("Trained model workspace.", Short = "-w", Path = PathRole.Input, Required = true)]
    public string Workspace { get; init; } = "";

    [Setting("The src faceset (its test split is used for reconstruction when it has one).", Path = PathRole.Input, Required = true)]
    public string Src { get; init; } = "";

    [Setting("A dst video (merged and compared frame by frame) or a dst faceset.", Path = PathRole.Input, Required = true)]
    public string Dst { get; init; } = "";

    [Setting("Folder for report.json, index.html, plots and thumbnails.", Short = "-o", Path = PathRole.OutputFolder)]
    public string Output { get; init; } = "report";

    [Setting("Identity embedding plugin.", Plugin = typeof(Identity.IFaceEmbedder))]
    public string Embedder { get; init; } = "facerec";
}
