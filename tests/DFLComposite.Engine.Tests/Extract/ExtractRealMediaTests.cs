using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Extract;

/// <summary>Every clip and photo of ../shared/data extracts, with the detection rates the issue asks for.</summary>
public sealed class ExtractRealMediaTests(ITestOutputHelper output) : IDisposable
{
    // Small faces keep the tests quick; detection and alignment do not depend on the output size.
    private static readonly ExtractSettings Settings = new() { Size = 128 };
    private readonly TempDir _temp = new();

    [SkippableTheory]
    [InlineData("s18.mp4", 0.95)]
    [InlineData("d3.mp4", 0.98)]
    [InlineData("d0.mp4", 0.98)]
    [InlineData("d18.mp4", 0.98)]
    [InlineData("d19.mp4", 0.98)]
    [InlineData("short_hamilton_clip.mp4", 0.5)]
    public void Finds_a_face_in_nearly_every_frame(string clip, double floor)
    {
        string video = TestPaths.Media("video/" + clip);
        ExtractResult result = Extraction.Run(Settings, _temp.File("fs"), video);

        SourceSummary s = Assert.Single(result.Sources);
        double rate = (double)s.FramesWithFaces / s.Frames;
        output.WriteLine($"{clip}: {s.FramesWithFaces}/{s.Frames} frames with a face ({rate:P1}), {s.Faces} faces");
        Assert.Equal(Engine.Media.VideoProbe.Probe(video).FrameCount, s.Frames);
        Assert.True(rate >= floor, $"{clip}: a face in {rate:P1} of frames, floor {floor:P0}");

        FaceSet set = FaceSet.Open(result.Output);
        Assert.True(set.HasIndex);
        Assert.Equal(s.Faces, set.Faces.Count);
        Assert.All(set.Faces, f => Assert.True(File.Exists(set.PathOf(f))));
    }

    [SkippableFact]
    public async Task Every_face_is_cut_from_its_own_frame()
    {
        // The extractor reuses decoded frames' memory once their faces are written (FrameBufferPool); a frame handed
        // back too early would be overwritten by a later one while a face was still being cut from it.
        string video = TestPaths.Media("video/d0.mp4");
        ExtractResult result = Extraction.Run(Settings, _temp.File("fs"), video);
        var frames = new Dictionary<long, DFLComposite.Media.ImageFrame>();
        await foreach ((long index, DFLComposite.Media.ImageFrame frame) in DFLComposite.Engine.Media.VideoReader.ReadFrames(video))
        {
            frames[index] = frame;
        }

        FaceSet set = FaceSet.Open(result.Output);
        Assert.True(set.Faces.Count > 50);
        foreach (FaceSetEntry entry in set.Faces)
        {
            AlignedFace stored = DFLComposite.Engine.Facesets.AlignedFaceFile.Read(set.PathOf(entry));
            DFLComposite.Media.ImageFrame again = DFLComposite.Engine.Align.FaceWarper.Warp(frames[stored.Metadata.FrameIndex], Affine2D.FromArray(stored.Metadata.ImageToFace), stored.Metadata.Size);
            string copy = _temp.File($"again-{entry.File}");
            DFLComposite.Engine.Facesets.AlignedFaceFile.Write(copy, new AlignedFace(again, stored.Metadata));
            Assert.True(stored.Image.Pixels.AsSpan().SequenceEqual(DFLComposite.Engine.Facesets.AlignedFaceFile.Read(copy).Image.Pixels), $"{entry.File} is not the face of frame {stored.Metadata.FrameIndex}");
        }
    }

    [SkippableFact]
    public void Every_photo_extracts_with_the_right_number_of_faces()
    {
        string images = TestPaths.Media("images/obama.jpg")[..^"obama.jpg".Length];
        string[] folders = [images, Path.Combine(images, "identities_test"), .. Directory.GetDirectories(Path.Combine(images, "identities"))];
        ExtractResult result = Extraction.Run(Settings, _temp.File("fs"), folders);
        foreach (SourceSummary s in result.Sources)
        {
            output.WriteLine($"{Path.GetFileName(s.Path)}: {s.Faces}");
        }

        int Faces(string name) => result.Sources.Single(s => s.Path == Path.GetFullPath(Path.Combine(images, name))).Faces;
        Assert.Equal(2, Faces("two_people.jpg"));
        Assert.Equal(2, Faces("identities_test/obama_and_biden.jpg"));
        Assert.All(result.Sources, s => Assert.True(s.Faces >= 1, $"{s.Path}: no face"));
        foreach (string single in new[] { "obama.jpg", "obama2.jpg", "obama_small.jpg", "biden.jpg", "alex-lacamoire.png", "lin-manuel-miranda.png", "obama-240p.jpg", "obama-480p.jpg", "obama-720p.jpg", "obama-1080p.jpg", "identities_test/obama1.jpg", "identities/biden/biden2.jpg" })
        {
            Assert.Equal(1, Faces(single));
        }

        Assert.Empty(result.Skipped);
    }

    public void Dispose() => _temp.Dispose();
}
