using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>The path fields of a job: made absolute against a base folder, and listed for hosts that must check them (the service's roots).</summary>
public static class JobPaths
{
    /// <summary>Every path the job names, with its JSON path and whether the job reads or writes it.</summary>
    public static IEnumerable<(string Field, string Path, PathRole Role)> Enumerate(JobSpec spec, string prefix = "")
    {
        foreach (SettingField f in SettingsSchema.For(spec.GetType()).Where(f => f.Declaration.Path != PathRole.None))
        {
            string field = prefix + f.JsonPath;
            switch (f.Get(spec))
            {
                case string s when s.Length > 0:
                    yield return (field, s, f.Declaration.Path);
                    break;
                case IReadOnlyList<string> list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        yield return ($"{field}[{i}]", list[i], f.Declaration.Path);
                    }

                    break;
            }
        }

        if (spec is SequenceJob { Job: { } inner })
        {
            foreach (var p in Enumerate(inner, prefix + "job."))
            {
                yield return p;
            }
        }
    }

    /// <summary>A copy of <paramref name="spec"/> with every relative path made absolute against <paramref name="baseDirectory"/>.</summary>
    public static JobSpec Resolve(JobSpec spec, string baseDirectory)
    {
        JobSpec copy = Clone(spec);
        foreach (SettingField f in SettingsSchema.For(copy.GetType()).Where(f => f.Declaration.Path != PathRole.None))
        {
            switch (f.Get(copy))
            {
                case string s when s.Length > 0:
                    f.Set(copy, Absolute(s, baseDirectory));
                    break;
                case IReadOnlyList<string> list:
                    f.Set(copy, list.Select(p => Absolute(p, baseDirectory)).ToArray());
                    break;
            }
        }

        return copy is SequenceJob { Job: { } inner } render ? render with { Job = Resolve(inner, baseDirectory) } : copy;
    }

    private static string Absolute(string path, string baseDirectory)
    {
        if (path.StartsWith('~') && (path.Length == 1 || path[1] is '/' or '\\'))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }

        return Path.GetFullPath(Path.Combine(baseDirectory, path));
    }

    // A deep copy through JSON, so setting fields never touches records shared with the caller.
    internal static JobSpec Clone(JobSpec spec) =>
        JobJson.Deserialize(System.Text.Json.JsonSerializer.SerializeToElement(spec, spec.GetType(), JobJson.Options), spec.GetType());
}
