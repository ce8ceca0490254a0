using DFLComposite.Engine.Align;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Plugins.MediaPipe.Tests;

public sealed class FaceMeshLandmarkerTests(ITestOutputHelper output)
{
    private static readonly Lazy<IFaceDetector> Detector = new(() => BuiltInPlugins.Catalog.Create<IFaceDetector>("blazeface"));
    private static readonly Lazy<ILandmarker> Landmarker = new(() => BuiltInPlugins.Catalog.Create<ILandmarker>("facemesh"));

    internal static FaceLandmarks Locate(ImageFrame frame)
    {
        DetectedFace face = Detector.Value.Detect(frame, 0.5f).OrderByDescending(f => f.Box.Area).First();
        return Landmarker.Value.Locate(frame, face) ?? throw new InvalidOperationException("landmarker rejected the face");
    }

    [SkippableFact]
    public void Landmarks_agree_across_resolutions_within_3_percent_of_the_eye_distance()
    {
        var sizes = new[] { "240p", "480p", "720p", "1080p" };
        var results = sizes.ToDictionary(s => s, s =>
        {
            ImageFrame frame = ImageIO.Read(TestPaths.Media($"images/obama-{s}.jpg"));
            FaceLandmarks lm = Locate(frame);
            // normalise to the 1080p frame's pixel grid
            float k = 1080f / frame.Height;
            return lm.Points68.Select(p => p * k).ToArray();
        });
        PointF[] reference = results["1080p"];
        float iod = new FaceLandmarks([], reference, 1).InterOcularDistance;
        foreach (string s in sizes)
        {
            float mean = results[s].Zip(reference, (a, b) => (a - b).Length).Average();
            float worst = results[s].Zip(reference, (a, b) => (a - b).Length).Max();
            output.WriteLine($"{s}: mean {mean / iod:P2}, worst {worst / iod:P2} of IOD ({iod:F0} px)");
            Assert.True(mean / iod < 0.03f, $"{s}: mean landmark distance {mean / iod:P2} of the inter-ocular distance");
        }
    }

    [SkippableFact]
    public void A_mirrored_photo_gives_mirrored_landmarks()
    {
        using Mat image = Cv2.ImRead(TestPaths.Media("images/obama.jpg"));
        using var flipped = new Mat();
        Cv2.Flip(image, flipped, FlipMode.Y);
        FaceLandmarks a = Locate(image.ToFrame()), b = Locate(flipped.ToFrame());

        // Mirror b back and swap left/right roles: 68-point index i of the original corresponds to Mirror68[i].
        float errSum = 0;
        for (int i = 0; i < 68; i++)
        {
            PointF m = b.Points68[Mirror68[i]];
            errSum += (new PointF(image.Width - m.X, m.Y) - a.Points68[i]).Length;
        }

        float err = errSum / 68 / a.InterOcularDistance;
        output.WriteLine($"mirror error {err:P2} of IOD");
        Assert.True(err < 0.04f, $"mirrored landmarks differ by {err:P2} of the inter-ocular distance");
    }

    [SkippableTheory]
    [InlineData(30)]
    [InlineData(90)]
    [InlineData(-60)]
    public void A_rotated_photo_gives_the_same_aligned_face(int degrees)
    {
        using Mat image = Cv2.ImRead(TestPaths.Media("images/obama.jpg"));
        // Rotate on a canvas large enough to keep the whole picture.
        int side = (int)Math.Ceiling(Math.Sqrt((image.Width * image.Width) + (image.Height * image.Height)));
        using var canvas = new Mat(side, side, MatType.CV_8UC3, Scalar.All(0));
        using (var roi = new Mat(canvas, new Rect((side - image.Width) / 2, (side - image.Height) / 2, image.Width, image.Height)))
        {
            image.CopyTo(roi);
        }

        using Mat rot = Cv2.GetRotationMatrix2D(new Point2f(side / 2f, side / 2f), degrees, 1.0);
        using var rotated = new Mat();
        Cv2.WarpAffine(canvas, rotated, rot, canvas.Size(), InterpolationFlags.Cubic);

        ImageFrame upright = canvas.ToFrame(), turned = rotated.ToFrame();
        ImageFrame a = FaceWarper.Warp(upright, FaceAligner.ImageToFace(Locate(upright).Points68, FaceType.WholeFace, 256), 256);
        ImageFrame b = FaceWarper.Warp(turned, FaceAligner.ImageToFace(Locate(turned).Points68, FaceType.WholeFace, 256), 256);
        double diff = a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();
        output.WriteLine($"{degrees}°: mean abs pixel difference {diff:F2}");
        Assert.True(diff < 12, $"aligned faces differ by {diff:F2} levels on average");
    }

    [SkippableFact]
    public void A_non_face_region_is_rejected()
    {
        ImageFrame frame = ImageIO.Read(TestPaths.Media("images/obama.jpg"));
        // A box in the top-left corner, where there is no face.
        var fake = new DetectedFace(new RectF(0, 0, 60, 60), 0.9f, [new(15, 20), new(45, 20), new(30, 35), new(30, 48), new(2, 25), new(58, 25)]);
        Assert.Null(Landmarker.Value.Locate(frame, fake));
    }

    // 68-point index of the mirror partner of each point.
    private static readonly int[] Mirror68 =
    [
        16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
        26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
        27, 28, 29, 30, 35, 34, 33, 32, 31,
        45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
        54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
        64, 63, 62, 61, 60, 67, 66, 65,
    ];
}
