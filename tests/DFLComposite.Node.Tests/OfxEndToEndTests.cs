using System.Diagnostics;
using System.Text.Json;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// The OpenFX bundle in the project's OFX test host (tests/ofx-test-host, built from the spec, with MLT's habits: a new
/// instance per frame, top-down images with negative rowBytes), sending frames to a real `dflc serve`: Face Swap gives
/// the frames of `dflc merge`, Face Matte the mattes of `dflc mask`, host keyframes animate settings like
/// `--keyframes`, and faults pass frames through with a message.
/// </summary>
[Collection("job files")]
public sealed class OfxEndToEndTests(JobFileFixture data, ITestOutputHelper output)
{
    /// <summary>The OFX test host, built once per test run (also used by <see cref="OfxParameterTableTests"/>).</summary>
    internal static readonly Lazy<string> HostExe = new(() =>
    {
        string exe = Path.Combine(Directory.CreateTempSubdirectory("dflc-ofx-host-").FullName, "ofx-test-host");
        var r = ProcessRunner.Run("bash", [Path.Combine(TestPaths.RepoRoot, "tests", "ofx-test-host", "build.sh"), exe]);
        Assert.True(r.ExitCode == 0, r.All);
        return exe;
    });

    private static string Binary => Path.Combine(TestPaths.RepoRoot, "artifacts", "ofx", "DFLComposite.ofx.bundle", "Contents", "Linux-x86-64", "DFLComposite.ofx");

    private string Root => Path.GetDirectoryName(data.Folder("root"))!;

    /// <summary>d0's frames as PNGs (000000.png ...), once.</summary>
    private string Frames()
    {
        string dir = Path.Combine(Root, "d0-frames");
        if (!File.Exists(Path.Combine(dir, "000077.png")))
        {
            Directory.CreateDirectory(dir);
            var r = ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", TestPaths.Media("video/d0.mp4"), "-start_number", "0", Path.Combine(dir, "%06d.png")]);
            Assert.True(r.ExitCode == 0, r.All);
        }

        return dir;
    }

    private JsonDocument Host(NodeProcess? node, params string[] args)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: the solution build lays out the bundle");
        var env = new Dictionary<string, string>
        {
            ["DFLC_NODE_JSON"] = node is null ? Path.Combine(Root, "no-node", "node.json") : Path.Combine(node.Config, "dflcomposite", "node.json"),
            ["DFLC_OFX_TIMEOUT"] = "60",
        };
        var r = ProcessRunner.Run(HostExe.Value, ["render", Binary, .. args], env, timeoutMs: 600_000);
        Assert.True(r.ExitCode == 0, r.All);
        return JsonDocument.Parse(r.StdOut);
    }

    private NodeProcess Node() => new(data.Folder("ofx-node"), Root, TestPaths.SharedData);

    [SkippableFact]
    public void Face_swap_in_a_host_gives_the_frames_of_dflc_merge_at_8_bit_and_float()
    {
        string frames = Frames(), model = data.Trained.A;
        string reference = data.Folder("ofx-ref"), masks = data.Folder("ofx-masks"), out8 = data.Folder("ofx-8"), outF = data.Folder("ofx-f");
        var merge = ProcessRunner.Dflc("merge", "-w", model, "-i", TestPaths.Media("video/d0.mp4"), "-o", reference, "--mask-output", masks);
        Assert.True(merge.ExitCode == 0, merge.All);
        using NodeProcess node = Node();
        var clock = Stopwatch.StartNew();
        using JsonDocument byteRun = Host(node, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--depth", "byte", "--components", "RGBA",
            "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-77", "--param", $"workspace={model}", "--out-dir", out8);
        output.WriteLine($"78 byte frames through the host in {clock.Elapsed.TotalSeconds:F1} s; messages: {byteRun.RootElement.GetProperty("messages")}");
        using JsonDocument floatRun = Host(node, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--depth", "float", "--components", "RGBA",
            "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-77", "--param", $"workspace={model}", "--out-dir", outF);
        int worst8 = 0, worstF = 0, changedOutside = 0;
        for (int t = 0; t < 78; t++)
        {
            using Mat refFrame = Cv2.ImRead(Path.Combine(reference, $"{t:D6}.png"));
            using Mat mask = Cv2.ImRead(Path.Combine(masks, $"{t:D6}.png"), ImreadModes.Grayscale);
            refFrame.GetArray(out Vec3b[] bgr);
            using var grown = new Mat();
            Cv2.Threshold(mask, grown, 0, 255, ThresholdTypes.Binary);
            Cv2.Dilate(grown, grown, null, iterations: 2);
            grown.GetArray(out byte[] inside);
            byte[] o8 = File.ReadAllBytes(Path.Combine(out8, $"output_{t}.raw")), i8 = File.ReadAllBytes(Path.Combine(out8, $"input_{t}.raw"));
            float[] oF = Floats(Path.Combine(outF, $"output_{t}.raw")), iF = Floats(Path.Combine(outF, $"input_{t}.raw"));
            for (int p = 0; p < bgr.Length; p++)
            {
                for (int c = 0; c < 3; c++)
                {
                    byte want = c == 0 ? bgr[p].Item2 : c == 1 ? bgr[p].Item1 : bgr[p].Item0; // RGBA out, BGR reference
                    worst8 = Math.Max(worst8, Math.Abs(o8[(p * 4) + c] - want));
                    worstF = Math.Max(worstF, Math.Abs((int)Math.Round(Math.Clamp(oF[(p * 4) + c], 0, 1) * 255) - want));
                    if (inside[p] == 0 && (o8[(p * 4) + c] != i8[(p * 4) + c] || BitConverter.SingleToInt32Bits(oF[(p * 4) + c]) != BitConverter.SingleToInt32Bits(iF[(p * 4) + c])))
                    {
                        changedOutside++;
                    }
                }
            }
        }

        output.WriteLine($"Face Swap vs dflc merge over 78 frames: byte max difference {worst8} levels, float {worstF} level(s) after quantising; {changedOutside} values changed outside the dilated mask");
        Assert.Equal(0, worst8);
        Assert.True(worstF <= 1, $"float {worstF}");
        Assert.Equal(0, changedOutside);
        Assert.All(byteRun.RootElement.GetProperty("frames").EnumerateArray(), f => Assert.Equal(0, f.GetProperty("status").GetInt32()));
    }

    [SkippableFact]
    public void Face_matte_alpha_is_the_matte_of_dflc_mask()
    {
        string frames = Frames(), xseg = data.XSegTrained.A, mattes = data.Folder("ofx-mattes"), outM = data.Folder("ofx-m");
        var mask = ProcessRunner.Dflc("mask", "-w", xseg, "-i", TestPaths.Media("video/d0.mp4"), "-o", mattes, "--frames", "0-29");
        Assert.True(mask.ExitCode == 0, mask.All);
        using NodeProcess node = Node();
        using JsonDocument run = Host(node, "--plugin", "org.dflcomposite.facematte", "--mlt", "--depth", "byte", "--components", "RGBA",
            "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-29", "--param", $"xseg={xseg}", "--out-dir", outM);
        int worst = 0, opaque = 0;
        for (int t = 0; t < 30; t++)
        {
            using Mat matte = Cv2.ImRead(Path.Combine(mattes, $"{t:D6}.png"), ImreadModes.Grayscale);
            matte.GetArray(out byte[] m);
            byte[] o = File.ReadAllBytes(Path.Combine(outM, $"output_{t}.raw")), i = File.ReadAllBytes(Path.Combine(outM, $"input_{t}.raw"));
            for (int p = 0; p < m.Length; p++)
            {
                worst = Math.Max(worst, Math.Abs(o[(p * 4) + 3] - m[p]));
                opaque += m[p] > 128 ? 1 : 0;
                Assert.True(o[p * 4] == i[p * 4] && o[(p * 4) + 1] == i[(p * 4) + 1] && o[(p * 4) + 2] == i[(p * 4) + 2], $"frame {t}: Face Matte changed the picture");
            }
        }

        output.WriteLine($"Face Matte alpha vs dflc mask over 30 frames: max difference {worst}; {opaque} matte pixels");
        Assert.Equal(0, worst);
        Assert.True(opaque > 10_000);
    }

    [SkippableFact]
    public void A_keyframed_parameter_gives_the_frames_of_dflc_merge_with_the_same_keys()
    {
        string frames = Frames(), model = data.Trained.A, reference = data.Folder("ofx-keys-ref"), outK = data.Folder("ofx-keys");
        string keys = Path.Combine(reference, "keys.json");
        File.WriteAllText(keys, """{"0": {"erodeMask": 0}, "40": {"erodeMask": 40}}""");
        var merge = ProcessRunner.Dflc("merge", "-w", model, "-i", TestPaths.Media("video/d0.mp4"), "-o", Path.Combine(reference, "f"), "--keyframes", keys, "--frames", "0-45");
        Assert.True(merge.ExitCode == 0, merge.All);
        using NodeProcess node = Node();
        using JsonDocument run = Host(node, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--depth", "byte", "--components", "RGBA",
            "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-45", "--param", $"workspace={model}", "--key", "erodeMask@0=0", "--key", "erodeMask@40=40", "--out-dir", outK);
        int worst = 0;
        for (int t = 0; t <= 45; t++)
        {
            using Mat refFrame = Cv2.ImRead(Path.Combine(reference, "f", $"{t:D6}.png"));
            refFrame.GetArray(out Vec3b[] bgr);
            byte[] o = File.ReadAllBytes(Path.Combine(outK, $"output_{t}.raw"));
            for (int p = 0; p < bgr.Length; p++)
            {
                worst = Math.Max(worst, Math.Max(Math.Abs(o[p * 4] - bgr[p].Item2), Math.Max(Math.Abs(o[(p * 4) + 1] - bgr[p].Item1), Math.Abs(o[(p * 4) + 2] - bgr[p].Item0))));
            }
        }

        output.WriteLine($"keyframed erode through the host vs dflc merge --keyframes: max difference {worst}");
        Assert.Equal(0, worst);
    }

    [SkippableFact]
    public void A_dead_node_or_a_bad_model_passes_frames_through_with_a_message_and_a_later_frame_recovers()
    {
        string frames = Frames(), model = data.Trained.A;
        using (JsonDocument noNode = Host(null, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-1", "--param", $"workspace={model}"))
        {
            Assert.All(noNode.RootElement.GetProperty("frames").EnumerateArray(), f => Assert.True(f.GetProperty("identical").GetBoolean()));
            Assert.Contains("dflc serve", noNode.RootElement.GetProperty("messages").ToString(), StringComparison.Ordinal);
        }

        using NodeProcess node = Node();
        using (JsonDocument badModel = Host(node, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-1", "--param", $"workspace={Path.Combine(Root, "no-model-here")}"))
        {
            Assert.All(badModel.RootElement.GetProperty("frames").EnumerateArray(), f => Assert.True(f.GetProperty("identical").GetBoolean()));
            Assert.Contains("no-model-here", badModel.RootElement.GetProperty("messages").ToString(), StringComparison.Ordinal);
        }

        // the node dies mid-sequence and comes back: frames in between pass through, later ones are merged again
        string outDir = data.Folder("ofx-restart");
        var psi = new ProcessStartInfo(HostExe.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "render", Binary, "--plugin", "org.dflcomposite.faceswap", "--mlt", "--input", Path.Combine(frames, "%06d.png"), "--frames", "0-60", "--param", $"workspace={model}", "--out-dir", outDir })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DFLC_NODE_JSON"] = Path.Combine(node.Config, "dflcomposite", "node.json");
        psi.Environment["DFLC_OFX_TIMEOUT"] = "10";
        using Process host = Process.Start(psi)!;
        Task<string> stdout = host.StandardOutput.ReadToEndAsync();
        Task<string> stderr = host.StandardError.ReadToEndAsync();
        WaitFor(() => File.Exists(Path.Combine(outDir, "output_5.raw")));
        node.Kill();
        int killedAt = Directory.GetFiles(outDir, "output_*.raw").Length;
        WaitFor(() => Directory.GetFiles(outDir, "output_*.raw").Length >= killedAt + 3);
        node.Start();
        Assert.True(host.WaitForExit(600_000));
        using JsonDocument run = JsonDocument.Parse(stdout.Result);
        bool[] passedThrough = run.RootElement.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("identical").GetBoolean()).ToArray();
        output.WriteLine($"node killed after ~{killedAt} frames; passed through: {string.Join("", passedThrough.Select(b => b ? 'P' : 'M'))}; messages {run.RootElement.GetProperty("messages")}");
        Assert.False(passedThrough[0]);
        Assert.Contains(true, passedThrough[killedAt..]);
        Assert.False(passedThrough[^1], "frames after the node came back are merged again");
        Assert.All(run.RootElement.GetProperty("frames").EnumerateArray(), f => Assert.Equal(0, f.GetProperty("status").GetInt32()));
        _ = stderr.Result;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "timed out");
            Thread.Sleep(50);
        }
    }

    private static float[] Floats(string file)
    {
        byte[] b = File.ReadAllBytes(file);
        var f = new float[b.Length / 4];
        Buffer.BlockCopy(b, 0, f, 0, b.Length);
        return f;
    }
}
