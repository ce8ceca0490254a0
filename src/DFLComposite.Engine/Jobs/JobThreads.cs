namespace DFLComposite.Engine.Jobs;

/// <summary>
/// How many libtorch threads a job runs best with, for hosts that leave the choice to the job (libtorch's thread count
/// is process-wide, so the host sets it, once, before the job starts).
/// </summary>
public static class JobThreads
{
    /// <summary>
    /// 1 for the per-frame jobs (merge, mask, render): their frames are worked on one per core at once, each worker
    /// running its own model pass, which keeps both cores busy without OpenMP threads spinning against decode, blend
    /// and encode. Null where libtorch's default (one thread per core) suits the job: training, extraction, evaluation.
    /// </summary>
    public static int? PreferredTorchThreads(JobSpec job) => job is FrameJob or RenderJob ? FrameJobs : null;

    /// <summary>libtorch threads for per-frame work (merge, mask, render, and their benchmarks).</summary>
    public const int FrameJobs = 1;
}
