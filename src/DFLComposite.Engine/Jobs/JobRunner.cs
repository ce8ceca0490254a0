using DFLComposite.Engine.Jobs.Runners;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// The one entry point every adapter calls: validates a job (declared ranges, the kind's rules, plugin names against the
/// catalog — every error keyed by its field), builds the parts from the catalog and runs it with one kind of progress.
/// </summary>
public sealed class JobRunner(JobContext context)
{
    public JobContext Context => context;

    /// <summary>Every problem with <paramref name="spec"/> that can be seen before it runs.</summary>
    public IReadOnlyList<FieldError> Validate(JobSpec spec)
    {
        var errors = new List<FieldError>(JobJson.Validate(spec));
        errors.AddRange(UnknownParts(spec, ""));
        return errors;
    }

    /// <summary>
    /// Runs the job. Cancelling <paramref name="ct"/> (Ctrl+C, SIGTERM, the service's cancel) stops it cleanly: the
    /// result is <see cref="JobResult.Interrupted"/> with a line saying what was kept (training saves its last
    /// completed iteration; outputs are complete or absent, never half-written).
    /// </summary>
    public async Task<JobResult> RunAsync(JobSpec spec, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        JobValidationException.ThrowIf(Validate(spec));
        OutputChecks.Check(spec);
        try
        {
            return await Dispatch(spec, progress, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new JobResult(spec.Kind, [], [Interrupted(spec)], Interrupted: true);
        }
    }

    /// <summary>What an interrupted job kept, in one line.</summary>
    public static string Interrupted(JobSpec spec) => spec switch
    {
        ExtractJob j => $"Interrupted: the faces found so far are kept in {j.Output}.partial; run the same job again to resume.",
        FrameJob j when j.OutputIsFolder => $"Interrupted: the frames written to {j.Output} so far are complete (no half-written file was left); run the same job again to finish.",
        FrameJob j => $"Interrupted: {j.Output} was not written and no partial file was left; run the same job again.",
        RenderJob j => $"Interrupted: the frames of {j.Frames} written so far are complete (no half-written file was left); run the same chunk again.",
        AssembleJob j => $"Interrupted: {j.Output} was not written and no partial file was left; run the same job again.",
        SwapJob j => $"Interrupted: the facesets and the model saved so far are kept in {j.Workspace}; run the same job again to resume.",
        XSegApplyJob => "Interrupted: the faces masked so far keep their masks; run the same job again to finish.",
        EvaluateJob j => $"Interrupted: no report was written to {j.Output}.",
        _ => "Interrupted: the work saved so far is kept; run the same job again to resume.",
    };

    private async Task<JobResult> Dispatch(JobSpec spec, IProgress<JobProgress>? progress, CancellationToken ct) =>
        spec switch
        {
            ExtractJob j => await ExtractRunner.RunAsync(j, context, progress, ct).ConfigureAwait(false),
            TrainJob j => await Task.Run(() => TrainRunner.Run(j, context, progress, ct), ct).ConfigureAwait(false),
            XSegTrainJob j => await Task.Run(() => XSegRunner.Train(j, context, progress, ct), ct).ConfigureAwait(false),
            XSegApplyJob j => await Task.Run(() => XSegRunner.Apply(j, context, progress, ct), ct).ConfigureAwait(false),
            MergeJob or MaskJob => await MergeRunner.RunAsync((FrameJob)spec, context, progress, ct).ConfigureAwait(false),
            RenderJob j => await MergeRunner.RenderAsync(j, context, progress, ct).ConfigureAwait(false),
            AssembleJob j => await AssembleRunner.RunAsync(j, context, progress, ct).ConfigureAwait(false),
            SwapJob j => await SwapPipeline.RunAsync(j, context, progress, ct).ConfigureAwait(false),
            EvaluateJob j => await EvaluateRunner.RunAsync(j, context, progress, ct).ConfigureAwait(false),
            _ => throw new ArgumentException($"no runner for {spec.Kind} jobs", nameof(spec)),
        };

    // Plugin names are checked here, where the catalog is: "no colour transfer named x; installed: ...".
    private IEnumerable<FieldError> UnknownParts(JobSpec spec, string prefix)
    {
        foreach (SettingField f in SettingsSchema.For(spec.GetType()).Where(f => f.Declaration.Plugin is not null))
        {
            if (f.Get(spec) is not string name || (f.Declaration.Choices?.Contains(name) ?? false))
            {
                continue;
            }

            string[] known = context.Catalog.Parts.Where(p => p.Contract == f.Declaration.Plugin).Select(p => p.Metadata.Name).ToArray();
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                string family = SettingField.PluginFamilyName(f.Declaration.Plugin!);
                string allowed = string.Join(", ", known.Concat(f.Declaration.Choices ?? []));
                yield return new FieldError(prefix + f.JsonPath, $"no {family} plugin named '{name}'; installed: {(allowed.Length == 0 ? "none (is the plugins folder next to dflc?)" : allowed)}");
            }
        }

        if (spec is SequenceJob { Job: { } inner })
        {
            foreach (FieldError e in UnknownParts(inner, prefix + "job."))
            {
                yield return e;
            }
        }
    }
}
