using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// One chunk of a merge or mask job for a render farm: frames <see cref="Frames"/> into the job's image-sequence
/// folders, with <see cref="PreRoll"/> frames before it tracked but not written, so chunks join seamlessly.
/// </summary>
public sealed record RenderJob : JobSpec
{
    /// <summary>The merge or mask job (its outputs must be folders).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(JobSpecJsonConverter))]
    public JobSpec? Job { get; init; }

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
            yield return new FieldError("job", Job is null ? "is required: a merge or mask job" : $"a {Job.Kind} job cannot be rendered in chunks; use a merge or mask job");
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
