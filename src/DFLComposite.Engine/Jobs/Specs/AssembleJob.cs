using DFLComposite.Engine.Media;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// The last step of a farm render: the image sequence that the chunks of a merge or mask job wrote (one image per input
/// frame, named by frame number) joined in order into a video with the source's frame rate, size and audio. Every frame
/// of the range must be there exactly once and readable; otherwise nothing is written and the bad frames are named.
/// </summary>
public sealed record AssembleJob : SequenceJob
{
    [Setting("The video to write (.mp4/.mov/.mkv); the source's size, frame rate and audio.", Short = "-o", Path = PathRole.Output, Required = true)]
    public string Output { get; init; } = "";

    [Setting("Frames to join (default: the merge job's frames, else the whole clip).", Format = "A-B or A (input frame numbers from 0, inclusive)")]
    public string? Frames { get; init; }

    [Setting("Video codec (h264/h265 are 4:2:0, or 4:4:4 for odd sizes, which 4:2:0 cannot hold).", Choices = ["h264", "h265", "prores4444", "ffv1"])]
    public string Codec { get; init; } = "h264";

    [Setting("Quality of h264/h265 (lower is better, 0 lossless).", Min = 0, Max = 51)]
    public int Crf { get; init; } = 18;

    /// <summary>The merge or mask job whose sequence is joined (checked by <see cref="Check"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FrameJob Sequence => Job as FrameJob ?? throw new InvalidOperationException("checked");

    public override IEnumerable<FieldError> Check()
    {
        if (Job is not FrameJob frameJob)
        {
            yield return JobError();
            yield break;
        }

        if (Frames is not null && !MergeRange.TryParse(Frames, 0, out _))
        {
            yield return new FieldError("frames", $"'{Frames}' is not a frame range; use A-B or A (input frame numbers from 0, inclusive)");
        }

        if (!frameJob.OutputIsFolder)
        {
            yield return new FieldError("job.output", $"assemble joins an image-sequence folder; {frameJob.Output} looks like a file");
        }

        if (frameJob.Format == "exr")
        {
            yield return new FieldError("job.format", "exr sequences hold float frames with the matte as alpha; assemble joins png or png16 sequences (load the EXRs in a compositor instead)");
        }

        if (MergeOutputs.IsFolder(Output) || ImageIO.IsImage(Output))
        {
            yield return new FieldError("output", $"{Output} is not a video file; give a .mp4, .mov or .mkv");
        }
    }
}
