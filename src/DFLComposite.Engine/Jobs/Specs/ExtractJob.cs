using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>Find faces in videos and photos and store them aligned as a faceset folder (resumes if interrupted).</summary>
public sealed record ExtractJob : JobSpec
{
    [Setting("Video(s), image(s) or folder(s), in any mix.", Flag = "--input", Short = "-i", Path = PathRole.Input, Required = true)]
    public IReadOnlyList<string> Inputs { get; init; } = [];

    [Setting("Faceset folder to create.", Short = "-o", Path = PathRole.OutputFolder, Required = true)]
    public string Output { get; init; } = "";

    [SettingsGroup("How faces are found, aligned and stored.")]
    public ExtractSettings Settings { get; init; } = new();
}
