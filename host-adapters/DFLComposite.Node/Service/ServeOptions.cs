namespace DFLComposite.Node.Service;

/// <summary>How `dflc serve` runs (from its flags).</summary>
internal sealed record ServeOptions
{
    /// <summary>TCP port on 127.0.0.1 and [::1]; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 47600;

    /// <summary>Folders jobs may read and write (default: the user's home).</summary>
    public IReadOnlyList<string> Roots { get; init; } = [NodePaths.Home];

    /// <summary>Heavy jobs that run at once; the rest queue.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>The job store, job logs and previews.</summary>
    public string State { get; init; } = NodePaths.StateFolder();

    /// <summary>The token and node.json.</summary>
    public string Config { get; init; } = NodePaths.ConfigFolder();

    /// <summary>Web origins allowed to call the API from a browser (CORS); none by default.</summary>
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    /// <summary>How long a cancelled job may take to save and stop before it is killed.</summary>
    public TimeSpan CancelTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The dflc executable that runs jobs (this one).</summary>
    public string Dflc { get; init; } = Environment.ProcessPath ?? "dflc";

    /// <summary>Options every job process gets (models folder, plugin path, threads), so jobs see what the node sees.</summary>
    public IReadOnlyList<string> ChildArguments { get; init; } = [];

    /// <summary>The web UI's folder (served at /), or null.</summary>
    public string? Web { get; init; }

    /// <summary>Largest request body (a job spec is a few kB).</summary>
    public const long MaxBody = 1 << 20;
}
