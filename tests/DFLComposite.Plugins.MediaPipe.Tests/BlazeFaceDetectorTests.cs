using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Plugins.MediaPipe.Tests;

public sealed class BlazeFaceDetectorTests
{
    private static readonly Lazy<IFaceDetector> Detector = new(() => BuiltInPlugins.Catalog.Create<IFaceDetector>("blazeface"));

    [SkippableTheory]
    [InlineData("images/two_people.jpg", 2)]
    [InlineData("images/obama.jpg", 1)]
    [InlineData("images/obama2.jpg", 1)]
    [InlineData("images/obama_small.jpg", 1)]
    [InlineData("images/biden.jpg", 1)]
    [InlineData("images/alex-lacamoire.png", 1)]
    [InlineData("images/lin-manuel-miranda.png", 1)]
    [InlineData("images/obama-240p.jpg", 1)]
    [InlineData("images/obama-1080p.jpg", 1)]
    public void Finds_every_face_in_the_photo(string file, int faces)
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media(file));
        IReadOnlyList<DetectedFace> found = Detector.Value.Detect(frame, 0.5f);
        Assert.Equal(faces, found.Count);
        foreach (DetectedFace face in found)
        {
            // eyes inside the box, right eye (subject's) on the image's left for an upright face
            Assert.InRange(face.RightEye.X, face.Box.X, face.Box.Right);
            Assert.True(face.RightEye.X < face.LeftEye.X);
        }
    }

    [SkippableTheory]
    [InlineData(RotateFlags.Rotate90Clockwise)]
    [InlineData(RotateFlags.Rotate90Counterclockwise)]
    [InlineData(RotateFlags.Rotate180)]
    public void Finds_a_face_rolled_sideways(RotateFlags rotation)
    {
        using Mat upright = Cv2.ImRead(TestPaths.Media("images/obama.jpg"));
        using var turned = new Mat();
        Cv2.Rotate(upright, turned, rotation);
        IReadOnlyList<DetectedFace> found = Detector.Value.Detect(turned.ToFrame(), 0.5f);
        if (rotation == RotateFlags.Rotate180)
        {
            return; // upside-down faces are out of scope (DFL does not find them either); must not crash
        }

        DetectedFace face = Assert.Single(found);
        float expectedRoll = rotation == RotateFlags.Rotate90Clockwise ? MathF.PI / 2 : -MathF.PI / 2;
        Assert.InRange(face.Roll, expectedRoll - 0.5f, expectedRoll + 0.5f);
    }
}
