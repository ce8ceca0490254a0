using System.Diagnostics;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Node.Tests;

public sealed class ExtractCliTests : IDisposable
{
    private readonly TempDir _temp = new();

    private string Out => _temp.File("faces");

    private void AssertNothingWritten()
    {
        Assert.False(Directory.Exists(Out), "no faceset folder after a failed run");
        Assert.False(Directory.Exists(Out + ".partial") && Directory.EnumerateFiles(Out + ".partial", "*.jpg").Any(), "no faces left behind");
    }

    [Fact]
    public void A_missing_input_exits_3_naming_it()
    {
        string missing = _temp.File("nope.mp4");
        var r = ProcessRunner.Dflc("extract", "-i", missing, "-o", Out);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(missing, r.StdErr);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("empty.mp4", "")]
    [InlineData("notes.mp4", "this is a text file, not a video")]
    [InlineData("broken.jpg", "\u00ff\u00d8\u00ff garbage")]
    public void Empty_or_non_media_input_exits_3_naming_it(string name, string content)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, content);
        var r = ProcessRunner.Dflc("extract", "-i", path, "-o", Out);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(path, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr); // a message, not a stack trace
        AssertNothingWritten();
    }

    [SkippableFact]
    public void A_truncated_video_exits_3()
    {
        byte[] video = File.ReadAllBytes(TestPaths.Media("video/d0.mp4"));
        string cut = _temp.File("cut.mp4");
        File.WriteAllBytes(cut, video[..(video.Length / 2)]);
        var r = ProcessRunner.Dflc("extract", "-i", cut, "-o", Out);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(cut, r.StdErr);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void An_image_without_a_face_exits_5_and_leaves_nothing()
    {
        string blank = _temp.File("wall.png");
        using (var wall = new Mat(480, 640, MatType.CV_8UC3, new Scalar(180, 170, 160)))
        {
            Cv2.Randn(wall, new Scalar(180, 170, 160), new Scalar(10, 10, 10));
            Cv2.ImWrite(blank, wall);
        }

        var r = ProcessRunner.Dflc("extract", "-i", blank, "-o", Out);
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("No face found", r.StdErr);
        Assert.Contains(blank, r.StdErr);
        Assert.False(Directory.Exists(Out));
        Assert.False(Directory.Exists(Out + ".partial"));
    }

    [SkippableFact]
    public void Output_that_already_holds_a_faceset_is_refused()
    {
        string photo = TestPaths.Media("images/obama.jpg");
        Assert.Equal(0, ProcessRunner.Dflc("extract", "-i", photo, "-o", Out, "--size", "128").ExitCode);
        var r = ProcessRunner.Dflc("extract", "-i", photo, "-o", Out);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already holds a faceset", r.StdErr);

        var info = ProcessRunner.Dflc("faceset", "info", Out);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("1 faces, face type wf, 128 px", info.StdOut);
    }

    [SkippableFact]
    public void A_killed_extraction_resumes_and_completes()
    {
        string video = TestPaths.Media("video/d3.mp4");
        var psi = new ProcessStartInfo(TestPaths.Dflc) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "extract", "-i", video, "-o", Out, "--size", "96" })
        {
            psi.ArgumentList.Add(a);
        }

        using (Process p = Process.Start(psi)!)
        {
            p.OutputDataReceived += (_, _) => { }; // drain the pipes so dflc never blocks on them
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited &&
                   (!Directory.Exists(Out + ".partial") || Directory.GetFiles(Out + ".partial", "*.jpg").Length < 60))
            {
                Thread.Sleep(50);
            }

            Assert.False(p.HasExited, "extraction finished before it could be killed");
            p.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            p.WaitForExit();
        }

        Assert.False(Directory.Exists(Out));
        int before = Directory.GetFiles(Out + ".partial", "*.jpg").Length;
        Assert.InRange(before, 60, 353);

        var r = ProcessRunner.Dflc("extract", "-i", video, "-o", Out, "--size", "96");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("(resumed)", r.StdOut);
        Assert.Equal(354, Directory.GetFiles(Out, "*.jpg").Length);
        Assert.Empty(Directory.GetFiles(Out, "*.dflc-tmp-*"));
        Assert.False(Directory.Exists(Out + ".partial"));
        var info = ProcessRunner.Dflc("faceset", "info", Out, "--json");
        Assert.Equal(354, System.Text.Json.JsonDocument.Parse(info.StdOut).RootElement.GetProperty("faces").GetArrayLength());
    }

    [SkippableFact]
    public void Resuming_with_different_settings_is_refused()
    {
        Directory.CreateDirectory(Out + ".partial");
        File.WriteAllText(Path.Combine(Out + ".partial", "extract-settings.json"), "{\"size\":999}");
        var r = ProcessRunner.Dflc("extract", "-i", TestPaths.Media("images/obama.jpg"), "-o", Out);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("different settings", r.StdErr);
    }

    [SkippableFact]
    public void A_reference_keeps_only_that_person()
    {
        var r = ProcessRunner.Dflc(
            "extract", "-i", TestPaths.Media("images/identities_test/obama_and_biden.jpg"), "-o", Out, "--size", "96",
            "--reference", TestPaths.Media("images/identities/obama/obama.jpg"));
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("1 face(s) matched the reference person (kept), 1 face(s) of other people were left alone", r.StdOut);
        Assert.Single(Directory.GetFiles(Out, "*.jpg"));
    }

    [SkippableFact]
    public void A_reference_image_without_a_face_exits_5_naming_it()
    {
        string wall = _temp.File("wall.png");
        using (var image = new Mat(240, 320, MatType.CV_8UC3, new Scalar(120, 130, 140)))
        {
            Cv2.ImWrite(wall, image);
        }

        var r = ProcessRunner.Dflc("extract", "-i", TestPaths.Media("images/obama.jpg"), "-o", Out, "--reference", wall);
        Assert.Equal(5, r.ExitCode);
        Assert.Contains($"Reference image {wall} shows no face", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        AssertNothingWritten();
    }

    public void Dispose() => _temp.Dispose();
}
