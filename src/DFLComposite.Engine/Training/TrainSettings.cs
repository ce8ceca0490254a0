using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Training;

/// <summary>
/// How training runs (may change between sessions of the same model). Defaults are DeepFaceLab's SAEHD defaults:
/// batch 8, lr 5e-5, AdaBelief, masked training, random warp, dst flip on / src flip off, save every 25 minutes.
/// </summary>
public sealed record TrainSettings : ISettingsRules
{
    [Setting("Faces per side per iteration.", Min = 1, Max = 256)]
    public int BatchSize { get; init; } = 8;

    [Setting("Learning rate.", Flag = "--lr", Min = 1e-8, Max = 1)]
    public double LearningRate { get; init; } = 5e-5;

    [Setting("Optimiser.", Choices = ["adabelief", "adam"])]
    public string Optimizer { get; init; } = "adabelief";

    [Setting("Train only the face (inside the landmark hull), not the whole square.", Flag = "--no-masked-training", Inverted = true)]
    public bool MaskedTraining { get; init; } = true;

    [Setting("Random warp of the input faces (DFL turns it off for the last polish).", Flag = "--no-random-warp", Inverted = true)]
    public bool RandomWarp { get; init; } = true;

    [Setting("Mirror src faces at random.")]
    public bool RandomFlipSrc { get; init; }

    [Setting("Mirror dst faces at random.", Flag = "--no-random-flip-dst", Inverted = true)]
    public bool RandomFlipDst { get; init; } = true;

    [Setting("Weight the eyes and mouth (300 x L1; DeepFaceLab's eyes_mouth_prio).", Flag = "--eyes-mouth-prio")]
    public bool EyesMouthPriority { get; init; }

    [Setting("Sample src faces evenly over head yaw instead of by frequency.")]
    public bool UniformYaw { get; init; }

    [Setting("Clip the gradient norm (stabilises training; DeepFaceLab's clipgrad).")]
    public bool ClipGrad { get; init; }

    [Setting("Image loss terms and weights.", Format = "term:weight,... with terms dssim, mse, l1 (e.g. dssim:10,mse:10)")]
    public string Loss { get; init; } = "dssim:10,mse:10";

    [Setting("Identity loss on the swap: cosine distance to the src person's descriptor, times this (0 = off; try 0.1-1).", Min = 0, Max = 100)]
    public double IdentityWeight { get; init; }

    [Setting("Learning-rate schedule (cosine and step run over max-iterations).", Choices = ["constant", "cosine", "step"])]
    public string LrSchedule { get; init; } = "constant";

    [Setting("Seed for weights and sampling (same seed, same run).", Min = 0, Max = int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Setting("Stop after this iteration (0 = no limit).", Aliases = ["--iterations"], Min = 0, Max = 1e12)]
    public long MaxIterations { get; init; }

    [Setting("Stop after this many minutes of this run (0 = no limit).", Aliases = ["--minutes"], Min = 0, Max = 1e6)]
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

    [Setting("Validation loss on the facesets' val split every N iterations (0 = never).", Min = 0, Max = 1e9)]
    public int ValidateEvery { get; init; } = 200;

    [Setting("Stop after N validations without improvement (0 = never).", Min = 0, Max = 1e6)]
    public int Patience { get; init; }

    [Setting("Stop when a validation's verdict on the dst val faces reaches this level (face: found as a sharp face; holds: also verified as src), or at the other limits. Needs a val split on dst and the identity plugin.",
        Choices = ["none", "face", "holds"])]
    public string UntilQuality { get; init; } = "none";

    [Setting("Background threads preparing batches (0 = one less than the cores).", Min = 0, Max = 256)]
    public int LoaderThreads { get; init; }

    /// <summary>The loader threads to start: <see cref="LoaderThreads"/>, or one less than the cores.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveLoaderThreads => LoaderThreads > 0 ? LoaderThreads : Math.Max(1, Environment.ProcessorCount - 1);

    public IEnumerable<FieldError> Check()
    {
        string? problem = null;
        try
        {
            _ = Losses.ParseSpec(Loss);
        }
        catch (UserErrorException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new FieldError("loss", problem);
        }

        if (UntilQuality != "none" && ValidateEvery == 0)
        {
            yield return new FieldError("untilQuality", "is judged at validations: set validateEvery above 0");
        }
    }

    /// <summary>Throws <see cref="JobValidationException"/> naming each bad field.</summary>
    public void Validate() => SettingsValidator.Validate(this);
}
