using System.Security.Cryptography;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// Bad input and faults against `dflc`, as a new user and a farm would meet them. Each case asserts the exit code,
/// that stderr names the file, flag or field, that no input or existing output changed and that no partial or
/// temporary file was left; the totals by class (clear / unclear / crash / loss) are printed.
/// </summary>
[Collection("job files")]
public sealed class FaultSuiteTests(JobFileFixture data, ITestOutputHelper output)
{
    /// <summary>One case: what to run in a fresh folder, what it must answer, what it must leave alone.</summary>
    private sealed record Case(string Name, Func<string, string[]> Args, int Exit, Func<string, string> Names, Func<string, string[]>? Protected = null, Action<string>? Setup = null);

    private IEnumerable<Case> Cases()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        string model = data.Trained.A, xseg = data.XSegTrained.A, faces = data.Extracted.A;
        string Copy(string dir, string name) => CopyTo(d0, Path.Combine(dir, name));

        // media in
        yield return new("missing input", d => ["merge", "-w", model, "-i", Path.Combine(d, "nope.mp4"), "-o", Path.Combine(d, "o.mp4")], 3, d => Path.Combine(d, "nope.mp4"));
        yield return new("empty input", d => ["merge", "-w", model, "-i", Path.Combine(d, "empty.mp4"), "-o", Path.Combine(d, "o.mp4")], 3, d => "empty.mp4",
            Setup: d => File.WriteAllBytes(Path.Combine(d, "empty.mp4"), []));
        yield return new("text as video", d => ["merge", "-w", model, "-i", Path.Combine(d, "notes.mp4"), "-o", Path.Combine(d, "o.mp4")], 3, d => "notes.mp4",
            Setup: d => File.WriteAllText(Path.Combine(d, "notes.mp4"), "this is not a video"));
        yield return new("truncated video", d => ["merge", "-w", model, "-i", Path.Combine(d, "cut.mp4"), "-o", Path.Combine(d, "o.mp4")], 3, d => "cut.mp4",
            Setup: d => File.WriteAllBytes(Path.Combine(d, "cut.mp4"), File.ReadAllBytes(d0)[..(int)(new FileInfo(d0).Length / 3)]));
        yield return new("folder as merge input", d => ["merge", "-w", model, "-i", d, "-o", Path.Combine(d, "o.mp4")], 3, d => "is a folder");
        yield return new("corrupt image", d => ["extract", "-i", Path.Combine(d, "bad.jpg"), "-o", Path.Combine(d, "faces")], 3, d => "bad.jpg",
            Setup: d => File.WriteAllBytes(Path.Combine(d, "bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]));
        yield return new("image without a face", d => ["extract", "-i", Path.Combine(d, "grey.png"), "-o", Path.Combine(d, "faces")], 5, d => "grey.png",
            Setup: d => GreyPng(Path.Combine(d, "grey.png")));
        yield return new("missing extract input", d => ["extract", "-i", Path.Combine(d, "none"), "-o", Path.Combine(d, "faces")], 3, d => Path.Combine(d, "none"));

        // models
        yield return new("empty workspace", d => ["merge", "-w", Path.Combine(d, "ws"), "-i", d0, "-o", Path.Combine(d, "o.mp4")], 3, d => Path.Combine(d, "ws"),
            Setup: d => Directory.CreateDirectory(Path.Combine(d, "ws")));
        yield return new("missing workspace", d => ["merge", "-w", Path.Combine(d, "nows"), "-i", d0, "-o", Path.Combine(d, "o.mp4")], 3, d => Path.Combine(d, "nows"));
        yield return new("truncated model", d => ["merge", "-w", Path.Combine(d, "ws"), "-i", d0, "-o", Path.Combine(d, "o.mp4")], 3, d => "model.dflc",
            Setup: d => { Directory.CreateDirectory(Path.Combine(d, "ws")); byte[] m = File.ReadAllBytes(Path.Combine(model, "model.dflc")); File.WriteAllBytes(Path.Combine(d, "ws", "model.dflc"), m[..(m.Length / 2)]); });
        yield return new("XSeg model as swap model", d => ["merge", "-w", xseg, "-i", d0, "-o", Path.Combine(d, "o.mp4")], 3, d => "XSeg");
        yield return new("XSeg workspace to train", d => ["train", "--src", faces, "--dst", data.Dst, "-w", Path.Combine(d, "xs"), "--max-iterations", "1"], 3, d => "XSeg",
            Protected: d => [Path.Combine(d, "xs", "model.dflc")], Setup: d => JobFileFixture.CopyFolder(xseg, Path.Combine(d, "xs")));
        yield return new("swap model as XSeg model", d => ["mask", "-w", model, "-i", d0, "-o", Path.Combine(d, "m")], 3, d => "not an XSeg model");

        // values
        yield return new("min-score 7", d => ["extract", "-i", d0, "-o", Path.Combine(d, "f"), "--min-score", "7"], 2, d => "--min-score");
        yield return new("lr NaN", d => ["train", "--src", faces, "--dst", data.Dst, "-w", Path.Combine(d, "w"), "--lr", "NaN"], 2, d => "--lr");
        yield return new("lr not a number", d => ["train", "--src", faces, "--dst", data.Dst, "-w", Path.Combine(d, "w"), "--lr", "fast"], 2, d => "--lr");
        yield return new("erode 9999", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--erode", "9999"], 2, d => "--erode");
        yield return new("unknown mode", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--mode", "blend"], 2, d => "--mode");
        yield return new("unknown colour plugin", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--color", "sepia"], 2, d => "--color");
        yield return new("size 10", d => ["extract", "-i", d0, "-o", Path.Combine(d, "f"), "--size", "10"], 2, d => "--size");
        yield return new("split train NaN", d => ["faceset", "split", faces, "--train", "NaN"], 2, d => "--train");
        yield return new("dedupe distance 65", d => ["faceset", "dedupe", faces, "--distance", "65"], 2, d => "--distance");
        yield return new("final count -5", d => ["sort", faces, "--by", "final", "--count", "-5"], 2, d => "--count");
        yield return new("final without count", d => ["sort", faces, "--by", "final"], 2, d => "--count");
        yield return new("reference threshold without photos", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--reference-threshold", "0.5"], 2, d => "--reference-threshold");

        // settings, job and keyframe files
        yield return new("settings file out of range", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--settings", Path.Combine(d, "s.json")], 2,
            d => Path.Combine(d, "s.json") + ": erodeMask", Setup: d => File.WriteAllText(Path.Combine(d, "s.json"), """{"erodeMask": 9999}"""));
        yield return new("settings file missing", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--settings", Path.Combine(d, "none.json")], 2, d => "none.json");
        yield return new("job unknown field", d => ["run", Path.Combine(d, "j.json")], 2, d => "j.json: frame",
            Setup: d => File.WriteAllText(Path.Combine(d, "j.json"), $$"""{"kind": "merge", "workspace": "{{model}}", "input": "{{d0}}", "output": "o", "frame": "1-2"}"""));
        yield return new("job wrong type", d => ["run", Path.Combine(d, "j.json")], 2, d => "settings.crf",
            Setup: d => File.WriteAllText(Path.Combine(d, "j.json"), $$$"""{"kind": "merge", "workspace": "{{{model}}}", "input": "{{{d0}}}", "output": "o", "settings": {"crf": "best"}}"""));
        yield return new("job over the size limit", d => ["run", Path.Combine(d, "j.json")], 2, d => "1048576",
            Setup: d => File.WriteAllText(Path.Combine(d, "j.json"), "{\"kind\": \"merge\", \"x\": \"" + new string('a', 2 << 20) + "\"}"));
        yield return new("bad keyframe", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--keyframes", Path.Combine(d, "k.json")], 2,
            d => Path.Combine(d, "k.json") + ": 5.erodeMask", Setup: d => File.WriteAllText(Path.Combine(d, "k.json"), """{"5": {"erodeMask": 999}}"""));
        yield return new("keyframes over the size limit", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--keyframes", Path.Combine(d, "k.json")], 2,
            d => "16777216", Setup: d => File.WriteAllText(Path.Combine(d, "k.json"), "{" + new string(' ', 17 << 20) + "}"));
        yield return new("render range backwards", d => ["render", "--job", Path.Combine(d, "j.json"), "--frames", "9-5"], 2, d => "--frames",
            Setup: d => File.WriteAllText(Path.Combine(d, "j.json"), $$"""{"kind": "merge", "workspace": "{{model}}", "input": "{{d0}}", "output": "frames"}"""));
        yield return new("render into a file", d => ["render", "--job", Path.Combine(d, "j.json"), "--frames", "1-5"], 2, d => "job.output",
            Setup: d => File.WriteAllText(Path.Combine(d, "j.json"), $$"""{"kind": "merge", "workspace": "{{model}}", "input": "{{d0}}", "output": "out.mp4"}"""));

        // outputs
        yield return new("output is the input", d => ["merge", "-w", model, "-i", Path.Combine(d, "x.mp4"), "-o", Path.Combine(d, "x.mp4")], 2, d => "is the job's input",
            Protected: d => [Path.Combine(d, "x.mp4")], Setup: d => Copy(d, "x.mp4"));
        yield return new("output is a link to the input", d => ["merge", "-w", model, "-i", Path.Combine(d, "x.mp4"), "-o", Path.Combine(d, "link.mp4")], 2, d => "is the job's input",
            Protected: d => [Path.Combine(d, "x.mp4")], Setup: d => { Copy(d, "x.mp4"); File.CreateSymbolicLink(Path.Combine(d, "link.mp4"), Path.Combine(d, "x.mp4")); });
        yield return new("output is a hard link to the input", d => ["merge", "-w", model, "-i", Path.Combine(d, "x.mp4"), "-o", Path.Combine(d, "hard.mp4")], 2, d => "is the job's input",
            Protected: d => [Path.Combine(d, "x.mp4")], Setup: d => { Copy(d, "x.mp4"); Assert.Equal(0, ProcessRunner.Run("ln", [Path.Combine(d, "x.mp4"), Path.Combine(d, "hard.mp4")]).ExitCode); });
        yield return new("output under a file", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "file", "out.mp4")], 2, d => Path.Combine(d, "file") + " is a file",
            Setup: d => File.WriteAllText(Path.Combine(d, "file"), "x"));
        yield return new("codec the container cannot hold", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--codec", "ffv1"], 2, d => "ffv1");
        yield return new("alpha without prores", d => ["merge", "-w", model, "-i", d0, "-o", Path.Combine(d, "o.mp4"), "--alpha"], 2, d => "--alpha");
        yield return new("extract into a faceset", d => ["extract", "-i", d0, "-o", faces, "--every", "20"], 2, d => "already holds a faceset", Protected: _ => Directory.GetFiles(faces));
        yield return new("extract into a file", d => ["extract", "-i", d0, "-o", Path.Combine(d, "f.txt"), "--every", "20"], 2, d => "f.txt",
            Protected: d => [Path.Combine(d, "f.txt")], Setup: d => File.WriteAllText(Path.Combine(d, "f.txt"), "keep me"));
        yield return new("train into a file", d => ["train", "--src", faces, "--dst", data.Dst, "-w", Path.Combine(d, "w.txt"), "--max-iterations", "1"], 2, d => "w.txt",
            Protected: d => [Path.Combine(d, "w.txt")], Setup: d => File.WriteAllText(Path.Combine(d, "w.txt"), "keep me"));

        // facesets
        string firstFace = Directory.GetFiles(faces, "*.jpg").Select(Path.GetFileName).Order().First()!;
        yield return new("sort with a zero-byte face", d => ["sort", Path.Combine(d, "fs"), "--by", "blur"], 0, d => "skipped damaged face " + Path.Combine(d, "fs", firstFace),
            Setup: d => { JobFileFixture.CopyFolder(faces, Path.Combine(d, "fs")); File.WriteAllBytes(Path.Combine(d, "fs", firstFace), []); });
        yield return new("info counts a zero-byte face", d => ["faceset", "info", Path.Combine(d, "fs")], 0, d => "damaged faces: 1",
            Setup: d => { JobFileFixture.CopyFolder(faces, Path.Combine(d, "fs")); File.WriteAllBytes(Path.Combine(d, "fs", firstFace), []); });
        yield return new("train on a missing faceset", d => ["train", "--src", Path.Combine(d, "nofaces"), "--dst", data.Dst, "-w", Path.Combine(d, "w")], 3, d => "nofaces");
        yield return new("extract a folder with a looping link", d => ["extract", "-i", Path.Combine(d, "in"), "-o", Path.Combine(d, "f")], 0, d => "Wrote",
            Setup: d => { Directory.CreateDirectory(Path.Combine(d, "in")); File.Copy(TestPaths.Media("images/obama.jpg"), Path.Combine(d, "in", "a.jpg")); File.CreateSymbolicLink(Path.Combine(d, "in", "loop.jpg"), Path.Combine(d, "in", "loop.jpg")); });
    }

    [SkippableFact]
    public void Bad_input_and_faults_get_the_documented_exit_code_and_name_what_is_wrong_and_lose_nothing()
    {
        _ = TestPaths.Media("video/d0.mp4");
        var totals = new Dictionary<string, int> { ["clear"] = 0, ["unclear"] = 0, ["crash"] = 0, ["loss"] = 0 };
        var failures = new List<string>();
        int n = 0;
        foreach (Case c in Cases())
        {
            n++;
            string dir = data.Folder("fault");
            c.Setup?.Invoke(dir);
            string[] guarded = [.. (c.Protected?.Invoke(dir) ?? []), TestPaths.Media("video/d0.mp4"), Path.Combine(data.Trained.A, "model.dflc")];
            var before = guarded.ToDictionary(f => f, Hash);
            var r = ProcessRunner.Dflc(c.Args(dir));
            string verdict;
            bool changed = guarded.Any(f => Hash(f) != before[f]);
            bool leftovers = Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
                .Any(f => f.Contains(".dflc-tmp", StringComparison.Ordinal) || (f.EndsWith(".partial", StringComparison.Ordinal) && c.Exit != 0));
            string all = r.StdOut + r.StdErr;
            if (r.ExitCode is not (0 or 1 or 2 or 3 or 4 or 5 or 6 or 130) || all.Contains("unexpected error", StringComparison.Ordinal))
            {
                verdict = "crash";
            }
            else if (changed || leftovers)
            {
                verdict = "loss";
            }
            else if (r.ExitCode == c.Exit && all.Contains(c.Names(dir), StringComparison.Ordinal) && !all.Contains("Exception", StringComparison.Ordinal))
            {
                verdict = "clear";
            }
            else
            {
                verdict = "unclear";
            }

            totals[verdict]++;
            string line = $"{verdict,-8} {c.Name}: exit {r.ExitCode} (want {c.Exit}) | {r.StdErr.Trim().Split('\n').LastOrDefault()?.Trim()}";
            output.WriteLine(line);
            if (verdict != "clear")
            {
                failures.Add(line + (changed ? " [an input or output changed]" : "") + (leftovers ? " [temporary or partial files left]" : "") + "\n" + r.All);
            }
        }

        output.WriteLine($"{n} cases: {totals["clear"]} clear, {totals["unclear"]} unclear, {totals["crash"]} crash, {totals["loss"]} loss");
        Assert.True(n >= 40, $"{n} cases");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static string Hash(string file) => File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "absent";

    private static string CopyTo(string from, string to)
    {
        File.Copy(from, to, overwrite: true);
        return to;
    }

    private static void GreyPng(string path)
    {
        using var grey = new OpenCvSharp.Mat(240, 320, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(128));
        OpenCvSharp.Cv2.ImWrite(path, grey);
    }
}
