using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// Extract both people, train, merge: a face-swapped copy of the dst clip in one resumable job (the workspace keeps
/// <c>src-faces/</c>, <c>dst-faces/</c> and <c>model/</c>, so a re-run skips finished extraction and trains on).
/// </summary>
public sealed record SwapJob : JobSpec
{
    [Setting("Videos, photos or folders of the person to put in.", Path = PathRole.Input, Required = true)]
    public IReadOnlyList<string> Src { get; init; } = [];

    [Setting("The video whose face is replaced.", Path = PathRole.Input, Required = true)]
    public string Dst { get; init; } = "";

    [Setting("Output video (or a folder for a PNG sequence).", Short = "-o", Path = PathRole.Output, Required = true)]
    public string Output { get; init; } = "";

    [Setting("Folder for the facesets and the model; a re-run resumes from it.", Short = "-w", Path = PathRole.OutputFolder, Required = true)]
    public string Workspace { get; init; } = "";

    [Setting("Photo(s) of the one person to take from src (for clips or photos with several people).", Path = PathRole.Input)]
    public IReadOnlyList<string>? SrcReference { get; init; }

    [Setting("Photo(s) of the one person to replace in dst; everyone else is left as they are.", Path = PathRole.Input)]
    public IReadOnlyList<string>? DstReference { get; init; }

    [Setting("Identity distance below which a face is the reference person (default: the embedder's, 0.6).", Min = 0.01, Max = 4)]
    public float? ReferenceThreshold { get; init; }

    [Setting("Use every n-th dst frame for the dst faceset.", Min = 1, Max = 1000)]
    public int DstEvery { get; init; } = 1;

    [Setting("Keep only the largest n faces per src photo or frame (0 = all): a group photo as src.", Min = 0, Max = 1000)]
    public int SrcMaxFaces { get; init; }

    [SettingsGroup("The model: plugin and structural options.")]
    public SwapModelChoice Model { get; init; } = new() { Model = "quick96" };

    [SettingsGroup("How long and how training runs.")]
    public TrainSettings Train { get; init; } = new();

    [SettingsGroup("How both facesets are extracted.", FlagPrefix = "extract-", Exclude = ["references", "referenceThreshold"])]
    public ExtractSettings Extract { get; init; } = new();

    [SettingsGroup("How faces are put back into the dst clip.")]
    public MergeSettings Merge { get; init; } = new();

    public override IEnumerable<FieldError> Check()
    {
        if (Train.MaxMinutes <= 0 && Train.MaxIterations <= 0)
        {
            yield return new FieldError("train.maxMinutes", "say how long to train: minutes, or a number of iterations (train.maxIterations)");
        }

        if (Merge.NeedsXSeg)
        {
            yield return new FieldError("merge.maskMode", $"{Merge.MaskMode} needs an XSeg model, which a swap job does not train; use dst, full or a learned mode");
        }

        if (ReferenceThreshold is not null && SrcReference is not { Count: > 0 } && DstReference is not { Count: > 0 })
        {
            yield return new FieldError("referenceThreshold", "needs reference photos (srcReference or dstReference)");
        }
    }
}
