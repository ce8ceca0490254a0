namespace DFLComposite.Engine.Jobs;

/// <summary>
/// Progress of any job, the one record every adapter shows: the CLI as a bar or PROGRESS lines, the service as
/// WebSocket events, the panel as a bar with a preview.
/// </summary>
/// <param name="Stage">extract, extract src, train, merge ... (a swap job goes through several).</param>
/// <param name="Fraction">0..1 of this stage.</param>
/// <param name="Message">One line for people: frame 12/78, iteration 300 loss ... .</param>
/// <param name="PreviewPath">An image updated just now (training preview), when there is one.</param>
public sealed record JobProgress(string Stage, double Fraction, string Message, string? PreviewPath = null);

/// <summary>What a job did: its outputs, the lines a person should read, and the stage's own result record.</summary>
/// <param name="Details">The stage's result (<c>ExtractResult</c>, <c>TrainResult</c>, <c>MergeResult</c> ...) for adapters that show more.</param>
/// <param name="Interrupted">The job was stopped (work saved); adapters exit 130 / mark the job cancelled.</param>
public sealed record JobResult(string Kind, IReadOnlyList<string> Outputs, IReadOnlyList<string> Summary, object? Details = null, bool Interrupted = false);

/// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
