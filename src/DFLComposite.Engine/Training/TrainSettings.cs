namespace DFLComposite.Engine.Training;

/// <summary>
/// How training runs (may change between sessions of the same model). Defaults are DeepFaceLab's SAEHD defaults:
/// batch 8, lr 5e-5, AdaBelief, masked training, random warp, dst flip on / src flip off, save every 25 minutes.
/// </summary>
public sealed record TrainSettings
{
    public int BatchSize { get; init; } = 8;

    public double LearningRate { get; init; } = 5e-5;

    /// <summary>adabelief or adam.</summary>
    public string Optimizer { get; init; } = "adabelief";

    public bool MaskedTraining { get; init; } = true;

    public bool RandomWarp { get; init; } = true;

    public bool RandomFlipSrc { get; init; }

    public bool RandomFlipDst { get; init; } = true;

    /// <summary>Adds 300 x L1 on the eye and mouth region (DeepFaceLab's eyes_mouth_prio).</summary>
    public bool EyesMouthPriority { get; init; }

    /// <summary>Sample src faces evenly over yaw instead of by frequency.</summary>
    public bool UniformYaw { get; init; }

    /// <summary>Clip the gradient norm (DeepFaceLab's clipgrad).</summary>
    public bool ClipGrad { get; init; }

    /// <summary>Loss terms and weights on the image; DFL's is "dssim:10,mse:10".</summary>
    public string Loss { get; init; } = "dssim:10,mse:10";

    /// <summary>Weight of the identity loss on the swap (cosine distance to the src person's descriptor); 0 = off.</summary>
    public double IdentityWeight { get; init; }

    /// <summary>constant, cosine or step.</summary>
    public string LrSchedule { get; init; } = "constant";

    public int Seed { get; init; } = 1;

    public long MaxIterations { get; init; }

    public double MaxMinutes { get; init; }

    public double SaveEveryMinutes { get; init; } = 25;

    public int SaveEveryIterations { get; init; }

    public int Backups { get; init; } = 3;

    public int PreviewEvery { get; init; } = 100;

    public int ReportEvery { get; init; } = 10;

    public int ValidateEvery { get; init; } = 200;

    /// <summary>Stop when validation loss has not improved for this many validations (0 = never).</summary>
    public int Patience { get; init; }

    /// <summary>Background threads preparing batches.</summary>
    public int LoaderThreads { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

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

        if (Optimizer is not ("adabelief" or "adam"))
        {
            throw new UserErrorException($"--optimizer {Optimizer}: use adabelief or adam.");
        }

        if (IdentityWeight < 0)
        {
            throw new UserErrorException("--identity-weight must be 0 (off) or positive.");
        }

        if (LrSchedule is not ("constant" or "cosine" or "step"))
        {
            throw new UserErrorException($"--lr-schedule {LrSchedule}: use constant, cosine or step.");
        }
    }
}
