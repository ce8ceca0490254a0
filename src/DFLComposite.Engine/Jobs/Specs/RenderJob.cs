using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// One chunk of a merge or mask job for a render farm: frames <see cref="Frames"/> into the job's image-sequence
/// folders, with <see cref="PreRoll"/> frames before it tracked but not written, so chunks join seamlessly.
/// </summary>
public sealed record RenderJob : SequenceJob
{
    [Setting("Frames to render.", Format = "A-B or A (input frame numbers from 0, inclusive)", Required = true)]
    public string Frames { get; init; } = "";

    [Setting("Frames before the chunk that are tracked (not written), so chunks join smoothly.", Min = 0, Max = 1000)]
    public int PreRoll { get; init; } = 12;

    /// <summary>The job with this chunk's range set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FrameJob Chunk => (Job as FrameJob ?? throw new InvalidOperationException("checked")) with { Frames = Frames, PreRoll = PreRoll };

    public override IEnumerable<FieldError> Check()
    {
        if (Job is not FrameJob frameJob)
        {
            yield return JobError();
            yield break;
        }

        if (!MergeRange.TryParse(Frames, PreRoll, out _))
        {
            yield return new FieldError("frames", $"'{Frames}' is not a frame range; use A-B or A (input frame numbers from 0, inclusive)");
        }

        if (!frameJob.OutputIsFolder)
        {
            yield return new FieldError("job.output", $"chunks render into image-sequence folders, one image per frame; {frameJob.Output} looks like a file");
        }

        if (frameJob is MergeJob { MaskOutput: { } mask } && !MergeOutputs.IsFolder(mask))
        {
            yield return new FieldError("job.maskOutput", $"chunks render into image-sequence folders; {mask} looks like a file");
        }
    }
}

/// <summary>
/// A job over the image sequence of a merge or mask job (<see cref="Job"/>): rendering chunks of it, or assembling the
/// chunks into a video. Paths, validation and JSON treat the inner job as part of this one.
/// </summary>
public abstract record SequenceJob : JobSpec
{
    /// <summary>The merge or mask job (its outputs must be folders).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(JobSpecJsonConverter))]
    public JobSpec? Job { get; init; }

    /// <summary>The error for a missing inner job or one of the wrong kind.</summary>
    protected FieldError JobError() =>
        new("job", Job is null ? "is required: a merge or mask job" : $"a {Job.Kind} job has no image sequence to {(this is RenderJob ? "render in chunks" : "assemble")}; use a merge or mask job");
}
