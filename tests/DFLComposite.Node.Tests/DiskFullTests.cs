using System.Security.Cryptography;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// A full disk (a small tmpfs the test mounts; skipped, saying so, where mounting is refused): every writer exits 6
/// naming the path, leaves no temporary file and never replaces a good existing output.
/// </summary>
[Collection("job files")]
public sealed class DiskFullTests(JobFileFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly List<string> _mounts = [];

    /// <summary>A tmpfs of <paramref name="megabytes"/> holding <paramref name="prepare"/>'s files, then filled to <paramref name="freeKb"/> kB free.</summary>
    private string FullDisk(int megabytes, int freeKb, Action<string>? prepare = null)
    {
        string dir = data.Folder("full");
        var mount = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", dir]);
        Skip.If(mount.ExitCode != 0, $"cannot mount a tmpfs here (needs root): {mount.StdErr.Trim()}");
        _mounts.Add(dir);
        prepare?.Invoke(dir);
        var free = new DriveInfo(dir).AvailableFreeSpace;
        long fill = free - (freeKb * 1024L);
        if (fill > 0)
        {
            using var f = File.Create(Path.Combine(dir, "filler"));
            f.SetLength(0);
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < fill; written += block.Length)
            {
                f.Write(block, 0, (int)Math.Min(block.Length, fill - written));
            }
        }

        return dir;
    }

    private void AssertWriteFailed(ProcessRunner.Result r, string path)
    {
        output.WriteLine(r.StdErr.Trim());
        Assert.Equal(6, r.ExitCode);
        Assert.Contains(path, r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", r.StdErr, StringComparison.Ordinal);
    }

    private static string Hash(string f) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)));

    [SkippableTheory]
    [InlineData("out.mp4", "h264")]
    [InlineData("out.mov", "prores4444")]
    public void A_video_merge_on_a_full_disk_exits_6_and_keeps_the_existing_output(string name, string codec)
    {
        string d0 = TestPaths.Media("video/d0.mp4");
        string dir = FullDisk(8, 150, d => File.Copy(d0, Path.Combine(d, name)));
        string existing = Path.Combine(dir, name), before = Hash(existing);
        var r = ProcessRunner.Dflc("merge", "-w", data.Trained.A, "-i", d0, "-o", existing, "--codec", codec);
        AssertWriteFailed(r, existing);
        Assert.Equal(before, Hash(existing));
        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*"));
    }

    [SkippableFact]
    public void A_png_sequence_on_a_full_disk_exits_6()
    {
        string dir = FullDisk(4, 300);
        string frames = Path.Combine(dir, "frames");
        var r = ProcessRunner.Dflc("merge", "-w", data.Trained.A, "-i", TestPaths.Media("video/d0.mp4"), "-o", frames);
        AssertWriteFailed(r, frames);
        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*", SearchOption.AllDirectories));
        Assert.All(Directory.GetFiles(frames, "*.png"), f => Assert.True(OpenCvSharp.Cv2.ImRead(f).Width == 512, $"{f} is a whole frame"));
    }

    [SkippableFact]
    public void Extraction_on_a_full_disk_exits_6()
    {
        string dir = FullDisk(4, 200);
        string faces = Path.Combine(dir, "faces");
        var r = ProcessRunner.Dflc("extract", "-i", TestPaths.Media("video/d3.mp4"), "-o", faces, "--size", "256");
        AssertWriteFailed(r, faces);
        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void A_checkpoint_on_a_full_disk_exits_6_and_keeps_the_model()
    {
        string model = data.Trained.A;
        long size = new FileInfo(Path.Combine(model, "model.dflc")).Length;
        string dir = FullDisk((int)(size * 3 / (1 << 20)) + 4, (int)(size / 2048), d => JobFileFixture.CopyFolder(model, Path.Combine(d, "ws")));
        string file = Path.Combine(dir, "ws", "model.dflc"), before = Hash(file);
        var r = ProcessRunner.Dflc(["train", "--src", data.Extracted.A, "--dst", data.Dst, "-w", Path.Combine(dir, "ws"), .. JobFileFixture.TinyModel, "--max-iterations", "4", "--preview-every", "0"]);
        AssertWriteFailed(r, file);
        Assert.Equal(before, Hash(file));
        Assert.Empty(Directory.GetFiles(dir, "*dflc-tmp*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void A_read_only_output_folder_is_refused_before_any_work_with_exit_6()
    {
        string dir = data.Folder("readonly");
        var mount = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir]);
        Skip.If(mount.ExitCode != 0, $"cannot mount a tmpfs here (needs root): {mount.StdErr.Trim()}");
        _mounts.Add(dir);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = ProcessRunner.Dflc("merge", "-w", data.Trained.A, "-i", TestPaths.Media("video/d3.mp4"), "-o", Path.Combine(dir, "out.mp4"));
        AssertWriteFailed(r, Path.Combine(dir, "out.mp4"));
        Assert.Contains("read-only", r.StdErr, StringComparison.Ordinal);
        output.WriteLine($"refused in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableFact]
    public void An_odd_sized_clip_merges_to_mp4_at_its_own_size()
    {
        string dir = data.Folder("odd"), odd = Path.Combine(dir, "odd.mp4"), merged = Path.Combine(dir, "merged.mp4");
        var make = ProcessRunner.Run("ffmpeg", ["-v", "error", "-i", TestPaths.Media("video/d0.mp4"), "-vf", "scale=513:291", "-frames:v", "12", "-c:v", "libx264", "-pix_fmt", "yuv444p", odd]);
        Assert.True(make.ExitCode == 0, make.All);
        var r = ProcessRunner.Dflc("merge", "-w", data.Trained.A, "-i", odd, "-o", merged);
        Assert.True(r.ExitCode == 0, r.All);
        var info = Engine.Media.VideoProbe.Probe(merged);
        Assert.Equal((513, 291, 12L), (info.Width, info.Height, info.FrameCount));
    }

    public void Dispose()
    {
        foreach (string m in _mounts)
        {
            ProcessRunner.Run("umount", [m]);
        }
    }
}
