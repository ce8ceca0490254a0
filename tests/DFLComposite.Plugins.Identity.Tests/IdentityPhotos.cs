using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;

namespace DFLComposite.Plugins.Identity.Tests;

/// <summary>One face of a labelled test photo, with its landmarks (found once per test run).</summary>
public sealed record LabelledFace(string Person, string File, ImageFrame Frame, IReadOnlyList<PointF> Points68);

/// <summary>The shared test photos of known people, and the detector + landmarker from the catalog.</summary>
internal static class IdentityPhotos
{
    // Byte-identical copies (images/obama.jpg = identities/obama/obama.jpg ...) are listed once.
    public static readonly (string Person, string File)[] Labelled =
    [
        ("obama", "images/identities/obama/obama.jpg"),
        ("obama", "images/identities/obama/obama2.jpg"),
        ("obama", "images/identities_test/obama1.jpg"),
        ("obama", "images/obama_small.jpg"),
        ("obama", "images/obama-240p.jpg"),
        ("obama", "images/obama-1080p.jpg"),
        ("biden", "images/identities/biden/biden.jpg"),
        ("biden", "images/identities/biden/biden2.jpg"),
        ("rose_leslie", "images/identities/rose_leslie/img1.jpg"),
        ("rose_leslie", "images/identities/rose_leslie/img2.jpg"),
        ("alex_lacamoire", "images/identities/alex_lacamoire/img1.jpg"),
        ("alex_lacamoire", "images/identities_test/alex_lacamoire1.jpg"),
        ("alex_lacamoire", "images/alex-lacamoire.png"),
    ];

    private static readonly Lazy<IFaceDetector> Detector = new(() => BuiltInPlugins.Catalog.Create<IFaceDetector>("blazeface"));
    private static readonly Lazy<ILandmarker> Landmarker = new(() => BuiltInPlugins.Catalog.Create<ILandmarker>("facemesh"));
    private static readonly Lazy<IReadOnlyList<LabelledFace>> Faces = new(() => Labelled.Select(l => Largest(l.Person, l.File)).ToArray());

    /// <summary>Every labelled photo's largest face (skips the test when the shared media are absent).</summary>
    public static IReadOnlyList<LabelledFace> All()
    {
        TestPaths.Media(Labelled[0].File); // the skip, before the Lazy can cache a failure
        return Faces.Value;
    }

    /// <summary>All faces of a photo with landmarks, largest first.</summary>
    public static IReadOnlyList<IReadOnlyList<PointF>> Landmarks(ImageFrame frame) =>
        Detector.Value.Detect(frame, 0.5f)
            .OrderByDescending(f => f.Box.Area)
            .Select(f => Landmarker.Value.Locate(frame, f))
            .Where(l => l is not null)
            .Select(l => (IReadOnlyList<PointF>)l!.Points68)
            .ToArray();

    private static LabelledFace Largest(string person, string file)
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media(file));
        IReadOnlyList<IReadOnlyList<PointF>> faces = Landmarks(frame);
        Assert.True(faces.Count > 0, $"no face found in {file}");
        return new LabelledFace(person, file, frame, faces[0]);
    }
}
