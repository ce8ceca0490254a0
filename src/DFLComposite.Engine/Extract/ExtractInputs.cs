using DFLComposite.Engine.Media;

namespace DFLComposite.Engine.Extract;

/// <summary>One thing to extract from: a video, or a single photo.</summary>
public sealed record ExtractSource(string Path, string Key, bool IsVideo, bool Explicit, MediaInfo? Video);

/// <summary>
/// Turns the user's <c>--input</c> list (videos, images, folders, in any mix) into sources, checking each up
/// front so a bad path fails in seconds, not after an hour of work.
/// </summary>
public static class ExtractInputs
{
    public static readonly string[] VideoExtensions = [".mp4", ".mov", ".mkv", ".avi", ".webm", ".m4v", ".mxf", ".mpg", ".mpeg", ".wmv", ".flv", ".ts"];

    public static IReadOnlyList<ExtractSource> Expand(IEnumerable<string> inputs)
    {
        var found = new List<(string Path, bool IsVideo, bool Explicit)>();
        foreach (string raw in inputs)
        {
            string input = System.IO.Path.GetFullPath(raw);
            if (Directory.Exists(input))
            {
                // a dangling or looping link (a -> a) is skipped like any non-media entry
                string[] files = Directory.EnumerateFiles(input).Where(f => (ImageIO.IsImage(f) || IsVideoName(f)) && Resolves(f)).Order(StringComparer.Ordinal).ToArray();
                if (files.Length == 0)
                {
                    throw new MediaException($"{input}: the folder has no images ({string.Join(' ', ImageIO.Extensions)}) or videos.");
                }

                found.AddRange(files.Select(f => (f, IsVideoName(f), false)));
            }
            else if (File.Exists(input))
            {
                found.Add((input, !ImageIO.IsImage(input), true));
            }
            else
            {
                throw new MediaException($"{input}: no such file or folder. Check the input path.");
            }
        }

        if (found.Count == 0)
        {
            throw Settings.JobValidationException.For("inputs", "no input given: a video, an image or a folder");
        }

        // Keys name the output files: the file's stem, made unique when two inputs share one.
        var stems = found.GroupBy(f => Stem(f.Path)).ToDictionary(g => g.Key, g => g.Count());
        return found.Select(f =>
        {
            string stem = Stem(f.Path);
            string key = stems[stem] == 1 ? stem : $"{stem}-{(uint)StableHash(f.Path):x8}";
            MediaInfo? info = f.IsVideo ? VideoProbe.Probe(f.Path) : null;
            return new ExtractSource(f.Path, key, f.IsVideo, f.Explicit, info);
        }).ToArray();
    }

    // A regular file, or a link whose chain ends at an existing file (File.Exists is true for a link that loops).
    private static bool Resolves(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is null || File.ResolveLinkTarget(path, returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static bool IsVideoName(string path) => VideoExtensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant());

    private static string Stem(string path)
    {
        string stem = System.IO.Path.GetFileNameWithoutExtension(path);
        var chars = stem.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "input" : new string(chars);
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }
}
