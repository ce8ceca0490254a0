using System.Text.Json.Nodes;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// Every job kind, twice: as a command line, and as `dflc run` of the job that command line prints with --print-job.
/// Both must give identical results (frames bit for bit, face files byte for byte, weights after N iterations).
/// </summary>
[Collection("job files")]
public sealed class JobFileCliTests(JobFileFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public void Extract_from_flags_and_from_its_job_file_write_the_same_faceset()
    {
        (string a, string b) = data.Extracted;
        string[] files = Directory.GetFiles(a).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(files, Directory.GetFiles(b).Select(Path.GetFileName).Order());
        Assert.True(files.Length > 5, "faces were extracted");
        foreach (string f in files.Where(f => f != "faceset.json"))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs");
        }

        JsonObject ia = JsonNode.Parse(File.ReadAllText(Path.Combine(a, "faceset.json")))!.AsObject(), ib = JsonNode.Parse(File.ReadAllText(Path.Combine(b, "faceset.json")))!.AsObject();
        ia.Remove("created");
        ib.Remove("created");
        Assert.Equal(ia.ToJsonString(), ib.ToJsonString());
        output.WriteLine($"{files.Length} files identical");
    }

    [SkippableFact]
    public void Train_from_flags_and_from_its_job_file_reach_the_same_weights()
    {
        (string a, string b) = data.Trained;
        Assert.True(JobFileFixture.CheckpointBody(a).SequenceEqual(JobFileFixture.CheckpointBody(b)), "weights, optimiser state or losses differ after 3 iterations");
    }

    [SkippableFact]
    public void XSeg_train_and_apply_from_flags_and_from_job_files_match()
    {
        (string a, string b) = data.XSegTrained;
        Assert.True(JobFileFixture.CheckpointBody(a).SequenceEqual(JobFileFixture.CheckpointBody(b)), "XSeg weights differ");
        (string fa, string fb) = data.Twice("xseg-apply", dir =>
        {
            string copy = Path.Combine(dir, "faces");
            JobFileFixture.CopyFolder(data.Labelled, copy);
            return ["xseg", "apply", "-w", a, "--faceset", copy];
        });
        JobFileFixture.AssertSameFiles(Path.Combine(fa, "faces"), Path.Combine(fb, "faces"), "*.jpg");
    }

    [SkippableFact]
    public void Merge_mask_and_render_from_flags_and_from_job_files_give_identical_frames()
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        (string a, string b) = data.Twice("merge", dir => ["merge", "-w", data.Trained.A, "-i", d0, "-o", Path.Combine(dir, "frames"), "--frames", "0-19", "--erode", "10", "--keyframes", data.Keyframes]);
        JobFileFixture.AssertSameFiles(Path.Combine(a, "frames"), Path.Combine(b, "frames"), "*.png", 20);

        (a, b) = data.Twice("mask", dir => ["mask", "-w", data.XSegTrained.A, "-i", d0, "-o", Path.Combine(dir, "mattes"), "--frames", "0-19"]);
        JobFileFixture.AssertSameFiles(Path.Combine(a, "mattes"), Path.Combine(b, "mattes"), "*.png", 20);

        (a, b) = data.Twice("render", dir =>
        {
            string job = Path.Combine(dir, "merge.json");
            File.WriteAllText(job, $$"""{"kind": "merge", "workspace": "{{data.Trained.A}}", "input": "{{d0}}", "output": "chunk", "debugOutput": "debug"}""");
            return ["render", "--job", job, "--frames", "30-39"];
        });
        JobFileFixture.AssertSameFiles(Path.Combine(a, "chunk"), Path.Combine(b, "chunk"), "*.png", 10);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(b, "debug"), "*.png"));
    }

    [SkippableFact]
    public void Swap_and_evaluate_from_flags_and_from_job_files_match()
    {
        (string a, string b) = data.Twice("swap", dir =>
        [
            "swap", "--src", TestPaths.Media("video/d18.mp4"), "--dst", TestPaths.Media("video/d0.mp4"), "-o", Path.Combine(dir, "out"), "-w", Path.Combine(dir, "ws"),
            "--extract-every", "8", "--extract-size", "96", "--model", "saehd", .. JobFileFixture.TinyModel, "--iterations", "2",
        ]);
        JobFileFixture.AssertSameFiles(Path.Combine(a, "out"), Path.Combine(b, "out"), "*.png", 78);

        (a, b) = data.Twice("evaluate", dir => ["evaluate", "-w", data.Trained.A, "--src", data.Extracted.A, "--dst", data.Dst, "-o", Path.Combine(dir, "report")]);
        string ja = File.ReadAllText(Path.Combine(a, "report", "report.json")), jb = File.ReadAllText(Path.Combine(b, "report", "report.json"));
        Assert.Equal(ja.Replace(a, "<out>", StringComparison.Ordinal), jb.Replace(b, "<out>", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_job_files_exit_2_naming_the_json_path_and_what_is_allowed()
    {
        string dir = data.Folder("bad");
        (string Json, string Expect)[] cases =
        [
            ("""{"kind": "merge", "workspace": "w", "input": "i.mp4", "output": "o", "settings": {"erodeMask": 9999}}""", "settings.erodeMask: 9999 is out of range; allowed -400..400"),
            ("""{"kind": "merge", "workspace": "w", "input": "i.mp4", "output": "o", "setings": {}}""", "setings: unknown field"),
            ("""{"kind": "merge", "workspace": "w", "input": "i.mp4", "output": "o", "settings": {"blurMask": "soft"}}""", "settings.blurMask: must be a whole number; allowed 0..400"),
            ("""{"kind": "merge", "workspace": "w", "input": "i.mp4", "output": "o", "settings": {"mode": "blend"}}""", "settings.mode: 'blend' is not allowed; use overlay, hist-match"),
            ("""{"kind": "train", "src": "a", "dst": "b", "workspace": "w", "settings": {"learningRate": 1e309}}""", "settings.learningRate"),
            ("""{"kind": "mergee"}""", "kind: 'mergee' is not a job kind"),
            ("""{"kind": "merge", "input": "i.mp4", "output": "o"}""", "workspace: is required"),
            ("""{"kind": "render", "job": {"kind": "merge", "workspace": "w", "input": "i.mp4", "output": "o.mp4"}, "frames": "5-1"}""", "frames: '5-1' is not a frame range"),
            ("""{"kind": "merge", """, "not valid JSON"),
        ];
        foreach ((string json, string expect) in cases)
        {
            string file = Path.Combine(dir, "job.json");
            File.WriteAllText(file, json);
            var r = ProcessRunner.Dflc("run", file);
            output.WriteLine(r.StdErr.Trim());
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(file, r.StdErr, StringComparison.Ordinal);
            Assert.Contains(expect, r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", r.StdErr, StringComparison.Ordinal);
        }
    }
}

/// <summary>Facesets and tiny models made once, each step twice (flags, then `dflc run` of the printed job).</summary>
public sealed class JobFileFixture : IDisposable
{
    public static readonly string[] TinyModel =
        ["--archi", "df", "--resolution", "64", "--ae-dims", "32", "--e-dims", "8", "--d-dims", "8", "--d-mask-dims", "4", "--batch-size", "2", "--seed", "7"];

    private readonly TempDir _temp = new();
    private readonly Lazy<(string, string)> _extracted, _trained, _xseg;
    private readonly Lazy<string> _dst, _labelled;

    public JobFileFixture()
    {
        _extracted = new(() => Twice("extract", dir => ["extract", "-i", TestPaths.Media("video/d18.mp4"), "-o", Path.Combine(dir, "faces"), "--size", "96", "--every", "12"], "faces"));
        _dst = new(() =>
        {
            string dst = _temp.File("dst");
            Assert.Equal(0, ProcessRunner.Dflc("extract", "-i", TestPaths.Media("video/d0.mp4"), "-o", dst, "--size", "96", "--every", "8").ExitCode);
            return dst;
        });
        _trained = new(() => Twice("train", dir =>
            ["train", "--src", Extracted.A, "--dst", Dst, "-w", Path.Combine(dir, "model"), .. TinyModel, "--max-iterations", "3", "--preview-every", "0"], "model"));
        _labelled = new(() =>
        {
            string faces = _temp.File("labelled");
            CopyFolder(Dst, faces);
            Assert.Equal(0, ProcessRunner.Dflc("xseg", "labels", "fetch-from-mesh", faces).ExitCode);
            return faces;
        });
        _xseg = new(() => Twice("xseg-train", dir =>
            ["xseg", "train", "--faceset", Labelled, "-w", Path.Combine(dir, "xseg"), "--resolution", "64", "--base-channels", "8", "--batch-size", "2", "--max-iterations", "3"], "xseg"));
    }

    public (string A, string B) Extracted => _extracted.Value;

    public string Dst => _dst.Value;

    public (string A, string B) Trained => _trained.Value;

    public string Labelled => _labelled.Value;

    public (string A, string B) XSegTrained => _xseg.Value;

    public string Keyframes
    {
        get
        {
            string file = _temp.File("keys.json");
            File.WriteAllText(file, """{"0": {"erodeMask": 0}, "19": {"erodeMask": 40, "mode": "seamless"}}""");
            return file;
        }
    }

    public string Folder(string name) => Directory.CreateDirectory(_temp.File(name + "-" + Guid.NewGuid().ToString("N")[..6])).FullName;

    /// <summary>
    /// Runs the command built for folder A, then prints the job of the same command built for folder B and runs that
    /// file with `dflc run`; returns the two folders (or <paramref name="sub"/> inside each).
    /// </summary>
    public (string A, string B) Twice(string what, Func<string, string[]> args, string? sub = null)
    {
        string a = Folder(what + "-a"), b = Folder(what + "-b");
        var direct = ProcessRunner.Dflc(args(a));
        Assert.True(direct.ExitCode == 0, direct.All);
        var printed = ProcessRunner.Dflc([.. args(b), "--print-job"]);
        Assert.True(printed.ExitCode == 0, printed.All);
        string job = Path.Combine(b, "job.json");
        File.WriteAllText(job, printed.StdOut);
        var run = ProcessRunner.Dflc("run", job);
        Assert.True(run.ExitCode == 0, run.All);
        return sub is null ? (a, b) : (Path.Combine(a, sub), Path.Combine(b, sub));
    }

    /// <summary>A checkpoint after its JSON header (which holds the save time): weights, optimiser state, loss history.</summary>
    public static byte[] CheckpointBody(string workspace)
    {
        byte[] file = File.ReadAllBytes(Path.Combine(workspace, "model.dflc"));
        int header = BitConverter.ToInt32(file, 8);
        return file[(12 + header)..^32];
    }

    public static void AssertSameFiles(string a, string b, string pattern, int? count = null)
    {
        string[] names = Directory.GetFiles(a, pattern).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(names, Directory.GetFiles(b, pattern).Select(Path.GetFileName).Order());
        if (count is { } n)
        {
            Assert.Equal(n, names.Length);
        }

        foreach (string f in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs between {a} and {b}");
        }
    }

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
    }

    public void Dispose() => _temp.Dispose();
}

[CollectionDefinition("job files")]
public sealed class JobFileCollection : ICollectionFixture<JobFileFixture>;
