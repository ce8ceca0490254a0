using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Plugins.MediaPipe.Tests;

public sealed class SelfieSegmenterTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void The_person_is_person_and_the_black_border_is_not()
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media("images/obama-1080p.jpg"));
        IPersonSegmenter segmenter = BuiltInPlugins.Catalog.Create<IPersonSegmenter>("selfie");
        float[] p = segmenter.Segment(frame);
        Assert.Equal(frame.Width * frame.Height, p.Length);
        DetectedFace face = BuiltInPlugins.Catalog.Create<IFaceDetector>("blazeface").Detect(frame, 0.5f).OrderByDescending(f => f.Box.Area).First();
        float Mean(int x0, int y0, int w, int h) =>
            Enumerable.Range(y0, h).SelectMany(y => Enumerable.Range(x0, w).Select(x => p[(y * frame.Width) + x])).Average();
        float onFace = Mean((int)face.Box.X, (int)face.Box.Y, (int)face.Box.Width, (int)face.Box.Height);
        float border = Mean(20, 100, 200, 800); // the photo has black bars left and right
        output.WriteLine($"person probability: face box {onFace:F2}, black border {border:F2}");
        Assert.True(onFace > 0.8, $"face {onFace:F2}");
        Assert.True(border < 0.2, $"border {border:F2}");
    }
}
