using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// The dst face square cut from a frame at any depth, as BGR float in [0, 1], by bicubic sampling (Keys' kernel with
/// a = -0.75, as OpenCV's INTER_CUBIC, borders replicated) straight from the frame's pixels: 8-bit, 16-bit and float
/// frames give the same crop for the same picture (no rounding to 8 bits before the model). Sampling computes only the
/// model's res x res pixels; converting the square's frame region to float first (what OpenCV's warp needed) cost more
/// than the warp, and grew with the face: 60 ms for a 4K close-up.
/// </summary>
internal static class FaceCrop
{
    private const float A = -0.75f;

    /// <param name="frame">BGR, CV_8UC3, CV_16UC3 or CV_32FC3.</param>
    /// <param name="frameToFace">2x3 CV_64F map from frame to face square.</param>
    public static unsafe Mat Float(Mat frame, Mat frameToFace, int res)
    {
        using var _ = Diagnostics.StageTimes.Measure("crop");
        using var toFrame = new Mat();
        Cv2.InvertAffineTransform(frameToFace, toFrame);
        double a00 = toFrame.At<double>(0, 0), a01 = toFrame.At<double>(0, 1), a02 = toFrame.At<double>(0, 2);
        double a10 = toFrame.At<double>(1, 0), a11 = toFrame.At<double>(1, 1), a12 = toFrame.At<double>(1, 2);
        int width = frame.Width, height = frame.Height, depth = frame.Depth();
        long step = frame.Step();
        float scale = 1f / (float)Media.FramePixels.FullScale(frame.Type());
        byte* data = (byte*)frame.Data;
        var crop = new Mat(res, res, MatType.CV_32FC3);
        Span<float> wx = stackalloc float[4], wy = stackalloc float[4];
        Span<int> xs = stackalloc int[4], ys = stackalloc int[4];
        for (int v = 0; v < res; v++)
        {
            float* row = (float*)crop.Ptr(v);
            for (int u = 0; u < res; u++)
            {
                double x = (a00 * u) + (a01 * v) + a02, y = (a10 * u) + (a11 * v) + a12;
                int ix = (int)Math.Floor(x), iy = (int)Math.Floor(y);
                Weights((float)(x - ix), wx);
                Weights((float)(y - iy), wy);
                for (int k = 0; k < 4; k++)
                {
                    xs[k] = Math.Clamp(ix - 1 + k, 0, width - 1);
                    ys[k] = Math.Clamp(iy - 1 + k, 0, height - 1);
                }

                float b = 0, g = 0, r = 0;
                for (int j = 0; j < 4; j++)
                {
                    byte* line = data + (ys[j] * step);
                    for (int i = 0; i < 4; i++)
                    {
                        float w = wx[i] * wy[j];
                        (float pb, float pg, float pr) = Pixel(line, xs[i], depth);
                        b += w * pb;
                        g += w * pg;
                        r += w * pr;
                    }
                }

                // as an 8-bit warp saturates: models see [0, 1] (out-of-range float values stay in the frame)
                row[(u * 3) + 0] = Math.Clamp(b * scale, 0f, 1f);
                row[(u * 3) + 1] = Math.Clamp(g * scale, 0f, 1f);
                row[(u * 3) + 2] = Math.Clamp(r * scale, 0f, 1f);
            }
        }

        return crop;
    }

    private static unsafe (float B, float G, float R) Pixel(byte* line, int x, int depth) => depth switch
    {
        MatType.CV_8U => (line[x * 3], line[(x * 3) + 1], line[(x * 3) + 2]),
        MatType.CV_16U => (((ushort*)line)[x * 3], ((ushort*)line)[(x * 3) + 1], ((ushort*)line)[(x * 3) + 2]),
        MatType.CV_32F => (((float*)line)[x * 3], ((float*)line)[(x * 3) + 1], ((float*)line)[(x * 3) + 2]),
        _ => throw new ArgumentException($"Faces are cut from 8-bit, 16-bit or float BGR frames, not depth {depth}."),
    };

    // Keys' cubic convolution weights for the four taps around a sample at fraction t past the second tap.
    private static void Weights(float t, Span<float> w)
    {
        w[0] = (((((A * (t + 1)) - (5 * A)) * (t + 1)) + (8 * A)) * (t + 1)) - (4 * A);
        w[1] = (((((A + 2) * t) - (A + 3)) * t) * t) + 1;
        float s = 1 - t;
        w[2] = (((((A + 2) * s) - (A + 3)) * s) * s) + 1;
        w[3] = 1 - w[0] - w[1] - w[2];
    }
}
