using DFLComposite.Engine.IO;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// What every job's outputs must satisfy before any work starts: no output is one of the job's inputs (by file
/// identity: symlinks and hard links included), and each output's folder exists or can be made, is a folder and is
/// writable. Codec limits are checked by the writer before the first frame (<see cref="Media.EncodeCheck"/>).
/// </summary>
public static class OutputChecks
{
    public static void Check(JobSpec spec)
    {
        var paths = JobPaths.Enumerate(spec).ToList();
        var inputs = paths.Where(p => p.Role == PathRole.Input).ToList();
        var errors = new List<FieldError>();
        foreach ((string field, string output, PathRole role) in paths.Where(p => p.Role is PathRole.Output or PathRole.OutputFolder))
        {
            if (role == PathRole.OutputFolder && File.Exists(output))
            {
                errors.Add(new FieldError(field, $"{output} is a file; this is a folder the job creates or resumes. Choose a folder"));
                continue;
            }

            if (inputs.FirstOrDefault(i => FileIdentity.Same(i.Path, output)) is { Path: not null } same)
            {
                errors.Add(new FieldError(field, $"{output} is the job's input ({same.Field}: {same.Path}); writing it would destroy it. Choose another output"));
                continue;
            }

            if (Unwritable(output) is { } problem)
            {
                errors.Add(new FieldError(field, problem));
            }
        }

        JobValidationException.ThrowIf(errors);
        foreach ((_, string output, _) in paths.Where(p => p.Role is PathRole.Output or PathRole.OutputFolder))
        {
            if (NotWritable(output) is { } reason)
            {
                // the place exists but refuses writes (read-only, permissions): the could-not-write exit code
                throw new OutputWriteException($"cannot write {output}: {reason}. Choose an output on a writable disk.");
            }
        }
    }

    // Why an output cannot be made where it is, or null: its nearest existing ancestor must be a folder.
    private static string? Unwritable(string output)
    {
        string? dir = NearestFolder(output, out string? file);
        return file is not null ? $"cannot be created: {file} is a file, not a folder" : dir is null ? $"{output}: no folder to write it in" : null;
    }

    private static string? NearestFolder(string output, out string? fileInTheWay)
    {
        fileInTheWay = null;
        string? dir = Directory.Exists(output) ? output : Path.GetDirectoryName(Path.GetFullPath(output));
        while (dir is not null && !Directory.Exists(dir))
        {
            if (File.Exists(dir))
            {
                fileInTheWay = dir;
                return null;
            }

            dir = Path.GetDirectoryName(dir);
        }

        return dir;
    }

    // Why the folder an output goes in refuses writes (a probe file is created and removed), or null.
    private static string? NotWritable(string output)
    {
        if (NearestFolder(output, out _) is not { } dir)
        {
            return null;
        }

        string probe = Path.Combine(dir, $".dflc-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{dir}: {AtomicFile.Reason(ex)}";
        }
    }
}
