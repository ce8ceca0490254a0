using DFLComposite.Engine.Plugins;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// What a job runs with: the host's plugin catalog and loggers, and how many worker threads it may use. Per job, not
/// per process, so two jobs can run in one process with their own logs and worker counts.
/// </summary>
public sealed record JobContext(PluginCatalog Catalog, ILoggerFactory Loggers)
{
    /// <summary>Frames analysed and composed at once (decode and encode run beside them).</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Where a job may keep a preview image for its host (a merge's latest frame), or null for none.</summary>
    public string? PreviewFile { get; init; }
}
