using DFLComposite.Engine.Media;
using DFLComposite.Tests;

namespace DFLComposite.Engine.Tests;

public sealed class VideoProbeTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void Missing_empty_and_non_media_files_get_errors_that_name_them()
    {
        string missing = _temp.File("nope.mp4");
        Assert.Contains(missing, Assert.Throws<MediaException>(() => VideoProbe.Probe(missing)).Message);

        string empty = _temp.File("empty.mp4");
        File.WriteAllBytes(empty, []);
        var ex = Assert.Throws<MediaException>(() => VideoProbe.Probe(empty));
        Assert.Contains(empty, ex.Message);
        Assert.Contains("empty", ex.Message);

        string text = _temp.File("notes.mp4");
        File.WriteAllText(text, "this is not a video at all");
        Assert.Contains(text, Assert.Throws<MediaException>(() => VideoProbe.Probe(text)).Message);
    }

    [SkippableTheory]
    [InlineData("video/d0.mp4", 40)]
    [InlineData("video/short_hamilton_clip.mp4", 201)]
    [InlineData("video/d3.mp4", 217)]
    [InlineData("video/s18.mp4", 150)]
    public async Task Reading_from_a_frame_seeks_to_exactly_that_frame(string clip, long start)
    {
        string path = TestPaths.Media(clip);
        Assert.True(VideoProbe.Probe(path).ConstantFrameRate);
        byte[]? expected = null, expectedNext = null;
        await foreach ((long index, DFLComposite.Media.ImageFrame frame) in VideoReader.ReadFrames(path))
        {
            if (index == start)
            {
                expected = frame.Pixels;
            }
            else if (index == start + 1)
            {
                expectedNext = frame.Pixels;
                break;
            }
        }

        var seeked = new List<(long Index, byte[] Pixels)>();
        await foreach ((long index, DFLComposite.Media.ImageFrame frame) in VideoReader.ReadFrames(path, null, start))
        {
            seeked.Add((index, frame.Pixels));
            if (seeked.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([start, start + 1], seeked.Select(x => x.Index));
        Assert.Equal(expected, seeked[0].Pixels); // the same decoded frame, bit for bit
        Assert.Equal(expectedNext, seeked[1].Pixels);
    }

    [SkippableFact]
    public async Task A_truncated_video_is_reported_not_crashed_on()
    {
        string source = TestPaths.Media("video/d0.mp4");
        string cut = _temp.File("cut.mp4");
        byte[] bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 3)]);

        // An mp4 cut short loses its index (or its tail): either probing or decoding must say so.
        var ex = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var _ in VideoReader.ReadFrames(cut))
            {
            }

            throw new MediaException("decoded without complaint");
        });
        Assert.Contains(cut, ex.Message);
    }

    public void Dispose() => _temp.Dispose();
}
