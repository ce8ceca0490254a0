using System.CommandLine;
using DFLComposite.Node.Jobs;

namespace DFLComposite.Node.Commands;

/// <summary>The commands that are job kinds: each is its spec's declared fields as flags (see <see cref="JobCommands"/>).</summary>
internal static class JobKindsCommands
{
    public static Command Extract() => JobCommands.Create("extract",
        "Find faces in videos and photos and store them aligned, with their metadata, as a faceset folder. Resumes if interrupted.", typeof(ExtractJob));

    public static Command Train() => JobCommands.Create("train",
        "Train a swap model (SAEHD-class) on a src and a dst faceset. Ctrl+C saves and stops; the same command resumes.", typeof(TrainJob));

    public static Command Merge() => JobCommands.Create("merge",
        "Swap the faces of a video or image with a trained model; output keeps the input's size, frame rate, frame count and audio.", typeof(MergeJob));

    public static Command Mask() => JobCommands.Create("mask",
        "Write a face matte for every frame of a video (or an image) with a trained XSeg model; output keeps the input's size and frame count. " +
        "Output: a folder (one grey image per frame), a .mov (prores 4444: the footage with the matte as alpha), .mkv (lossless grey matte, ffv1) or .mp4 (grey matte, h264).",
        typeof(MaskJob));

    public static Command Swap() => JobCommands.Create("swap",
        "Extract both people, train and merge in one resumable run: a face-swapped copy of --dst. Say how long to train with --minutes or --iterations.", typeof(SwapJob));

    public static Command Evaluate() => JobCommands.Create("evaluate",
        "Measure a trained model: identity, expression/pose fidelity, reconstruction SSIM/PSNR, temporal stability; writes report.json and index.html.", typeof(EvaluateJob));

    /// <summary><c>dflc render --job job.json --frames A-B</c>: the render-farm contract (a render job around a merge or mask job file).</summary>
    public static Command Render()
    {
        var job = new Option<string>("--job") { Description = "A merge or mask job file (JSON, as --print-job writes it; relative paths relative to the file). Its outputs must be folders.", Required = true };
        return JobCommands.Create("render",
            "Render frames A-B of a job into its image-sequence folders, PROGRESS lines on stdout, the documented exit codes (for render farms: Slurm, Deadline, OpenJD ...).",
            typeof(RenderJob), extra: [job], adjust: (r, spec) => ((RenderJob)spec) with { Job = JobJson.Load(r.GetValue(job)!) });
    }

    /// <summary><c>dflc assemble --job job.json -o out.mp4</c>: the chunks' image sequence joined into a video (a farm's last step).</summary>
    public static Command Assemble()
    {
        var job = new Option<string>("--job") { Description = "The merge or mask job file the chunks were rendered from (as for dflc render).", Required = true };
        return JobCommands.Create("assemble",
            "Join the image sequence that render chunks wrote into a video with the source's size, frame rate and audio; a missing, doubled or unreadable frame fails with exit 3 naming it, and nothing is written.",
            typeof(AssembleJob), extra: [job], adjust: (r, spec) => ((AssembleJob)spec) with { Job = JobJson.Load(r.GetValue(job)!) });
    }
}
