using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// How XSeg training runs (may change between sessions of one model). Defaults follow DeepFaceLab's XSeg: batch 4,
/// learning rate 1e-4; Adam stands in for DFL's RMSprop (the shared optimiser; both adapt per parameter).
/// </summary>
public sealed record XSegTrainSettings
{
    [Setting("Faces per iteration.", Min = 1, Max = 256)]
    public int BatchSize { get; init; } = 4;

    [Setting("Learning rate.", Flag = "--lr", Min = 1e-8, Max = 1)]
    public double LearningRate { get; init; } = 1e-4;

    [Setting("Share of samples with a random occluder pasted over the face and cut out of the label (0 turns it off).", Min = 0, Max = 1)]
    public double OccluderChance { get; init; } = 0.5;

    [Setting("Image files or folders to cut occluders from, besides other faces' backgrounds.", Flag = "--occluders", Path = PathRole.Input)]
    public IReadOnlyList<string> OccluderImages { get; init; } = [];

    [Setting("Seed for weights and sampling.", Min = 0, Max = int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Setting("Stop after this iteration (0 = no limit).", Min = 0, Max = 1e12)]
    public long MaxIterations { get; init; }

    [Setting("Stop after this many minutes of this run (0 = no limit).", Min = 0, Max = 1e6)]
    public double MaxMinutes { get; init; }

    [Setting("Checkpoint interval in minutes (0 = only when training stops, which always saves).", Min = 0, Max = 1e6)]
    public double SaveEveryMinutes { get; init; } = 25;

    [Setting("Also checkpoint every N iterations (0 = by time only).", Flag = "--save-every", Min = 0, Max = 1e9)]
    public int SaveEveryIterations { get; init; }

    [Setting("Rotating checkpoint backups to keep.", Min = 0, Max = 1000)]
    public int Backups { get; init; } = 3;

    [Setting("Write preview.png every N iterations (0 = only at the end).", Min = 0, Max = 1e9)]
    public int PreviewEvery { get; init; } = 100;

    [Setting("Report progress every N iterations (0 = never).", Min = 0, Max = 1e9)]
    public int ReportEvery { get; init; } = 10;

    /// <summary>Throws <see cref="JobValidationException"/> naming each bad field.</summary>
    public void Validate() => SettingsValidator.Validate(this);
}

/// <summary>What an XSeg checkpoint says about itself (JSON header of the shared <see cref="Checkpoint"/> format).</summary>
public sealed record XSegCheckpointHeader(int Version, string Kind, SegmentationOptions Options, XSegTrainSettings Settings, long Iteration, DateTimeOffset Saved, long ParameterCount)
    : ICheckpointHeader
{
    public const string SegmentationKind = "segmentation";
}
