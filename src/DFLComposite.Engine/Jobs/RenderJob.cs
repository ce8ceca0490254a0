using System.Text.Json;
using System.Text.Json.Serialization;
using DFLComposite.Engine.Merge;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// A render-farm job (<c>dflc render --job job.json --frames A-B</c>): what to render, from what, into which folders.
/// Relative paths are relative to the job file, so a job folder can move between machines. Outputs are image
/// sequences named by input frame number and written atomically, so chunks never collide and a re-run chunk is safe.
/// </summary>
public sealed record RenderJob
{
    /// <summary>merge (swap faces with <see cref="Workspace"/>) or mask (a face matte with <see cref="XSeg"/>).</summary>
    public string Kind { get; init; } = "merge";

    /// <summary>The trained swap model's workspace (merge jobs).</summary>
    public string? Workspace { get; init; }

    /// <summary>A trained XSeg workspace (mask jobs, and the xseg mask modes of merge jobs).</summary>
    public string? XSeg { get; init; }

    /// <summary>The footage.</summary>
    public required string Input { get; init; }

    /// <summary>Folder for the frames (merge: swapped frames; mask: grey mattes).</summary>
    public required string Output { get; init; }

    /// <summary>Optional folder for the merge mask of each frame.</summary>
    public string? MaskOutput { get; init; }

    /// <summary>Merge mask as the PNGs' alpha.</summary>
    public bool Alpha { get; init; }

    /// <summary>Photo(s) of the one person to swap or matte; other people's faces are left alone (none: everyone).</summary>
    public IReadOnlyList<string>? Reference { get; init; }

    /// <summary>Identity distance under which a face is the <see cref="Reference"/> person (default: the embedder's).</summary>
    public float? ReferenceThreshold { get; init; }

    public MergeSettings Settings { get; init; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Reads and checks a job file; paths come back absolute.</summary>
    public static RenderJob Load(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new UserErrorException($"{path}: job file not found.");
        }

        RenderJob job;
        try
        {
            job = JsonSerializer.Deserialize<RenderJob>(File.ReadAllText(path), Json) ?? throw new UserErrorException($"{path}: empty job.");
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{path}: not a valid job ({ex.Message}).");
        }

        string dir = Path.GetDirectoryName(path)!;
        string? Abs(string? p) => p is null ? null : Path.GetFullPath(Path.Combine(dir, p));
        job = job with
        {
            Workspace = Abs(job.Workspace), XSeg = Abs(job.XSeg), Input = Abs(job.Input)!, Output = Abs(job.Output)!, MaskOutput = Abs(job.MaskOutput),
            Reference = job.Reference?.Select(r => Abs(r)!).ToArray(),
        };
        job.Validate(path);
        return job;
    }

    private void Validate(string path)
    {
        if (Kind is not ("merge" or "mask"))
        {
            throw new UserErrorException($"{path}: kind '{Kind}': use merge or mask.");
        }

        if (Kind == "merge" && Workspace is null)
        {
            throw new UserErrorException($"{path}: a merge job needs \"workspace\" (the trained model).");
        }

        if ((Kind == "mask" || Settings.MaskMode.Contains("xseg", StringComparison.Ordinal)) && XSeg is null)
        {
            throw new UserErrorException($"{path}: this job needs \"xseg\" (a trained XSeg workspace).");
        }

        foreach (string? folder in new[] { Output, MaskOutput })
        {
            if (folder is not null && (Path.HasExtension(folder) || File.Exists(folder)))
            {
                throw new UserErrorException($"{path}: outputs are image-sequence folders, one PNG per frame; {folder} looks like a file.");
            }
        }

        Settings.Validate();
    }

    /// <summary>"1001-1100" or "1001": inclusive input frame numbers from 0.</summary>
    public static MergeRange ParseFrames(string text, int preRoll)
    {
        string[] parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (long.TryParse(parts[0], out long first) && first >= 0)
        {
            long last = first;
            if (parts.Length == 1 || (long.TryParse(parts[1], out last) && last >= first))
            {
                return new MergeRange(first, last, preRoll);
            }
        }

        throw new UserErrorException($"--frames {text}: give a range like 1001-1100 (input frame numbers from 0, inclusive) or one frame.");
    }
}
