using DFLComposite.Engine.Evaluate;
using DFLComposite.Faces;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Engine.Tests.Evaluate;

/// <summary>The metric functions on constructed inputs whose answers are known.</summary>
public sealed class MetricTests
{
    [SkippableFact]
    public void Ssim_is_1_and_psnr_capped_for_identical_images_and_lower_for_noisy_ones()
    {
        using Mat a = Cv2.ImRead(TestPaths.Media("images/obama.jpg"));
        using Mat same = a.Clone();
        Assert.Equal(1.0, ImageMetrics.Ssim(a, same), 9);
        Assert.Equal(ImageMetrics.MaxPsnr, ImageMetrics.Psnr(a, same));

        // uniform noise of +-8 levels: MSE = (17^2 - 1) / 12 = 24 -> PSNR = 10 log10(255^2 / 24) = 34.3 dB
        using var noise = new Mat(a.Size(), MatType.CV_16SC3);
        Cv2.Randu(noise, Scalar.All(-8), Scalar.All(9));
        using var wide = new Mat();
        a.ConvertTo(wide, MatType.CV_16SC3);
        using var sum = new Mat();
        Cv2.Add(wide, noise, sum);
        using var noisy = new Mat();
        sum.ConvertTo(noisy, MatType.CV_8UC3); // saturates at 0/255 (few pixels)
        double psnr = ImageMetrics.Psnr(a, noisy), ssim = ImageMetrics.Ssim(a, noisy);
        Assert.InRange(psnr, 33.8, 34.8);
        Assert.InRange(ssim, 0.3, 0.99);

        // float [0, 1] images give the same answer as 8-bit
        using var af = new Mat();
        using var nf = new Mat();
        a.ConvertTo(af, MatType.CV_32FC3, 1.0 / 255);
        noisy.ConvertTo(nf, MatType.CV_32FC3, 1.0 / 255);
        Assert.Equal(ssim, ImageMetrics.Ssim(af, nf), 3);
    }

    [Fact]
    public void Shifting_every_landmark_by_a_tenth_of_the_eye_distance_gives_an_error_of_0_1()
    {
        PointF[] face = Face();
        float iod = new FaceLandmarks([], face, 1).InterOcularDistance;
        PointF[] shifted = face.Select(p => p + new PointF(0.06f * iod, 0.08f * iod)).ToArray(); // |(0.06, 0.08)| = 0.1
        Assert.Equal(0.1, LandmarkMetrics.Error(shifted, face), 5);
        Assert.Equal(0, LandmarkMetrics.Error(face, face));
    }

    [Fact]
    public void Jitter_is_0_for_still_or_steady_motion_and_measures_shake()
    {
        PointF[] face = Face();
        float iod = new FaceLandmarks([], face, 1).InterOcularDistance;
        var still = Enumerable.Repeat<IReadOnlyList<PointF>>(face, 10).ToList();
        Assert.Equal(0, LandmarkMetrics.Jitter(still));
        var steady = Enumerable.Range(0, 10).Select(t => (IReadOnlyList<PointF>)face.Select(p => p + new PointF(3 * t, 0)).ToArray()).ToList();
        Assert.Equal(0, LandmarkMetrics.Jitter(steady), 6);
        // every other frame 1/20 of the eye distance to the right: each inner frame is that far from its neighbours' midpoint
        var shake = Enumerable.Range(0, 11).Select(t => (IReadOnlyList<PointF>)face.Select(p => p + new PointF(t % 2 * iod / 20, 0)).ToArray()).ToList();
        Assert.Equal(0.05, LandmarkMetrics.Jitter(shake), 5);
    }

    [Fact]
    public void Flicker_is_0_for_a_steady_fade_and_the_swing_for_alternating_brightness()
    {
        Assert.Equal(0, TemporalMetrics.Flicker([100, 100, 100, 100]));
        Assert.Equal(0, TemporalMetrics.Flicker([100, 102, 104, 106, 108]), 9);
        Assert.Equal(4, TemporalMetrics.Flicker([100, 104, 100, 104, 100]), 9);
    }

    [Fact]
    public void Head_pose_is_about_0_for_a_frontal_face_and_follows_a_turn()
    {
        PointF[] face = Face();
        var (yaw, pitch, roll) = HeadPose.Estimate(face, 640, 480);
        Assert.InRange(Math.Abs(yaw), 0, 12);
        Assert.InRange(Math.Abs(roll), 0, 3);
        // rolled 20 degrees in the image plane about the nose tip
        PointF c = face[30];
        double a = 20 * Math.PI / 180;
        PointF[] rolled = face.Select(p => new PointF(
            (float)(c.X + ((p.X - c.X) * Math.Cos(a)) - ((p.Y - c.Y) * Math.Sin(a))),
            (float)(c.Y + ((p.X - c.X) * Math.Sin(a)) + ((p.Y - c.Y) * Math.Cos(a))))).ToArray();
        var turned = HeadPose.Estimate(rolled, 640, 480);
        Assert.InRange(Math.Abs(turned.Roll - roll), 15, 25);
        Assert.InRange(Math.Abs(turned.Pitch - pitch), 0, 5);
    }

    /// <summary>
    /// A frontal face in a 640x480 frame: the engine's mean-face template for brows, eyes, nose and mouth corners,
    /// a half-ellipse jaw and an elliptical mouth filled in around them.
    /// </summary>
    private static PointF[] Face()
    {
        var unit = new PointF[68];
        for (int k = 0; k < Align.MeanFace.Indices.Length; k++)
        {
            unit[Align.MeanFace.Indices[k]] = Align.MeanFace.Points[k];
        }

        for (int i = 0; i <= 16; i++)
        {
            double t = Math.PI - (i * Math.PI / 16);
            unit[i] = new PointF((float)(0.5 + (0.55 * Math.Cos(t))), (float)(0.4 + (0.6 * Math.Sin(t))));
        }

        PointF left = unit[48], right = unit[54], centre = (left + right) * 0.5f;
        float half = (right.X - left.X) / 2;
        for (int i = 49; i <= 67; i++)
        {
            if (i != 54)
            {
                double t = (i - 48) * 2 * Math.PI / 20;
                unit[i] = new PointF(centre.X - (float)(half * Math.Cos(t)), centre.Y + (float)(half * 0.4 * Math.Sin(t)));
            }
        }

        return unit.Select(p => new PointF(220 + (p.X * 200), 140 + (p.Y * 200))).ToArray();
    }
}
