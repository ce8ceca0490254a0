using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// How XSeg training runs (may change between sessions of one model). Defaults follow DeepFaceLab's XSeg: batch 4,
/// learning rate 1e-4; Adam stands in for DFL's RMSprop (the shared optimiser; both adapt per parameter).
/// </summary>
public sealed record XSegTrainSettings
{
    public int BatchSize { get; init; } = 4;

    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Share of samples that get a random occluder pasted over the face (cut out of the label).</summary>
    public double OccluderChance { get; init; } = 0.5;

    /// <summary>Extra pictures (files or folders) to cut occluders from, besides other faces' backgrounds.</summary>
    public IReadOnlyList<string> OccluderImages { get; init; } = [];

    public int Seed { get; init; } = 1;

    public long MaxIterations { get; init; }

    public double MaxMinutes { get; init; }

    public double SaveEveryMinutes { get; init; } = 25;

    public int SaveEveryIterations { get; init; }

    public int Backups { get; init; } = 3;

    public int PreviewEvery { get; init; } = 100;

    public int ReportEvery { get; init; } = 10;

    /// <summary>
    /// libtorch intra-op threads on the training thread (0 = libtorch's default, all cores). On a machine busy
    /// with other work 1 can be many times faster: idle OpenMP threads spin waiting for a core.
    /// </summary>
    public int Threads { get; init; }

    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new UserErrorException("--batch-size must be 1 or more.");
        }

        if (LearningRate <= 0)
        {
            throw new UserErrorException("--lr must be positive.");
        }

        if (OccluderChance is < 0 or > 1)
        {
            throw new UserErrorException("--occluder-chance must be between 0 and 1.");
        }
    }
}

/// <summary>What an XSeg checkpoint says about itself (JSON header of the shared <see cref="Checkpoint"/> format).</summary>
public sealed record XSegCheckpointHeader(int Version, string Kind, SegmentationOptions Options, XSegTrainSettings Settings, long Iteration, DateTimeOffset Saved, long ParameterCount)
    : ICheckpointHeader
{
    public const string SegmentationKind = "segmentation";
}
