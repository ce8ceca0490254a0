using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Extract;

/// <summary>--reference: extraction keeps only the faces of the person in the reference photos.</summary>
public sealed class ReferenceFilterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Lazy<(IFaceDetector Detector, ILandmarker Landmarker, IFaceEmbedder Embedder)> Parts = new(() => (
        BuiltInPlugins.Catalog.Create<IFaceDetector>("blazeface"),
        BuiltInPlugins.Catalog.Create<ILandmarker>("facemesh"),
        BuiltInPlugins.Catalog.Create<IFaceEmbedder>(ReferenceFilter.DefaultEmbedder)));

    private readonly TempDir _temp = new();

    [SkippableFact]
    public void An_Obama_reference_keeps_only_Obama_in_a_photo_of_Obama_and_Biden()
    {
        string pair = TestPaths.Media("images/identities_test/obama_and_biden.jpg");
        string obama = TestPaths.Media("images/identities/obama/obama.jpg");
        string biden = TestPaths.Media("images/identities/biden/biden.jpg");
        (IFaceDetector detector, ILandmarker landmarker, IFaceEmbedder embedder) = Parts.Value;

        PointF[] keptForObama = ExtractWith(obama, pair, "obama");
        PointF[] keptForBiden = ExtractWith(biden, pair, "biden");

        // The face kept is Obama's: its descriptor is nearer Obama's reference than Biden's single photo.
        ImageFrame frame = ImageIO.Read(pair);
        float[] kept = embedder.Embed(frame, keptForObama);
        float toObama = FaceDescriptor.Distance(kept, Descriptor(obama)), toBiden = FaceDescriptor.Distance(kept, Descriptor(biden));
        output.WriteLine($"kept face: {toObama:F3} from Obama's photo, {toBiden:F3} from Biden's");
        Assert.True(toObama < embedder.SamePersonThreshold && toObama < toBiden);

        // ... and the two references keep the two different people of the photo.
        float apart = keptForObama.Zip(keptForBiden, (a, b) => (a - b).Length).Average();
        Assert.True(apart > 100, $"both references kept the same face (landmarks {apart:F0} px apart)");
    }

    [SkippableFact]
    public void In_video_the_reference_person_is_followed_and_the_others_are_skipped()
    {
        // short_hamilton_clip: Lin-Manuel Miranda performs (frames 0-19 and 82-219 show his face), then the camera
        // turns to the audience (220-274: Obama and another listener), whom the filter must turn away.
        string clip = TestPaths.Media("video/short_hamilton_clip.mp4");
        string reference = TestPaths.Media("images/lin-manuel-miranda.png");
        (IFaceDetector detector, ILandmarker landmarker, IFaceEmbedder embedder) = Parts.Value;
        var settings = new ExtractSettings { Size = 64, References = [reference] };
        ReferenceFilter filter = ReferenceFilter.FromPhotos(embedder, detector, landmarker, [reference], null);
        var extractor = new Extractor(new FaceFinder(detector, landmarker, settings, filter), settings, NullLogger.Instance);
        ExtractResult result = extractor.RunAsync([clip], _temp.File("lin")).GetAwaiter().GetResult();

        Dictionary<long, PointF[]> kept = Extraction.SourceLandmarks(result.Output);
        float[] lin = Descriptor(reference);
        var distances = VideoReader.ReadFrames(clip).ToBlockingEnumerable()
            .Where(f => kept.ContainsKey(f.Index))
            .Select(f => FaceDescriptor.Distance(embedder.Embed(f.Frame, kept[f.Index]), lin))
            .Order()
            .ToArray();
        output.WriteLine($"{result.Faces} faces kept in frames {kept.Keys.Min()}-{kept.Keys.Max()}, filter counts {filter.Counts}; " +
            $"distance to the reference: median {distances[distances.Length / 2]:F3}, 90th percentile {distances[distances.Length * 9 / 10]:F3}");
        Assert.InRange(result.Faces, 140, 158);
        Assert.True(kept.Keys.Max() < 220, $"a face of frame {kept.Keys.Max()} (audience) was kept");
        Assert.True(distances[distances.Length / 2] < embedder.SamePersonThreshold, "most kept faces should look like the reference");
    }

    [Fact]
    public void A_reference_photo_without_a_face_is_refused_naming_it()
    {
        string wall = _temp.File("wall.png");
        using (var image = new Mat(240, 320, MatType.CV_8UC3, new Scalar(120, 130, 140)))
        {
            Cv2.ImWrite(wall, image);
        }

        (IFaceDetector detector, ILandmarker landmarker, IFaceEmbedder embedder) = Parts.Value;
        var ex = Assert.Throws<NoFaceException>(() => ReferenceFilter.FromPhotos(embedder, detector, landmarker, [wall], null));
        Assert.Contains(wall, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_without_a_reference_is_a_usage_error()
    {
        var settings = new ExtractSettings { ReferenceThreshold = 0.5f };
        Assert.Equal("referenceThreshold", Assert.Single(Assert.Throws<Settings.JobValidationException>(settings.Validate).Errors).Path);
    }

    // Extract `input` keeping the person of `reference`; returns the source landmarks of the one face kept.
    private PointF[] ExtractWith(string reference, string input, string name)
    {
        (IFaceDetector detector, ILandmarker landmarker, IFaceEmbedder embedder) = Parts.Value;
        var settings = new ExtractSettings { Size = 128, References = [reference] };
        ReferenceFilter filter = ReferenceFilter.FromPhotos(embedder, detector, landmarker, [reference], null);
        var extractor = new Extractor(new FaceFinder(detector, landmarker, settings, filter), settings, NullLogger.Instance);
        ExtractResult result = extractor.RunAsync([input], _temp.File(name)).GetAwaiter().GetResult();
        output.WriteLine($"{Path.GetFileName(reference)}: {result.Faces} face(s) kept, filter counts {filter.Counts}");
        Assert.Equal(1, result.Faces);
        Assert.Equal((1L, 1L), filter.Counts);
        return Extraction.SourceLandmarks(result.Output)[0];
    }

    private static float[] Descriptor(string photo)
    {
        (IFaceDetector detector, ILandmarker landmarker, IFaceEmbedder embedder) = Parts.Value;
        ImageFrame frame = ImageIO.Read(photo);
        DetectedFace face = detector.Detect(frame, 0.5f).MaxBy(f => f.Box.Area)!;
        return embedder.Embed(frame, landmarker.Locate(frame, face)!.Points68);
    }

    public void Dispose() => _temp.Dispose();
}
