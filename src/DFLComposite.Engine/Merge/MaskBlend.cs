using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// frame = prediction * mask + frame * (1 - mask), in one pass over the pixels the mask touches, at the frame's depth
/// (8-bit and 16-bit rounded to nearest, as OpenCV's saturating conversion does; float kept). Pixels whose mask rounds
/// to 0 at 8 bits are never written, so everything outside the mask stays bit-identical. The arithmetic is the float
/// formula the merge always used; done with OpenCV's element-wise calls it made eight region-size temporaries and
/// eight passes, the largest cost of a 4K frame.
/// </summary>
internal static class MaskBlend
{
    /// <param name="frame">The frame's region, BGR at CV_8UC3, CV_16UC3 or CV_32FC3 (written in place).</param>
    /// <param name="prediction">The predicted face over the same region, CV_32FC3 in [0, 1].</param>
    /// <param name="mask">The mask over the same region, CV_32FC1 in [0, 1].</param>
    public static unsafe void Apply(Mat frame, Mat prediction, Mat mask)
    {
        int width = frame.Width, height = frame.Height, depth = frame.Depth();
        for (int y = 0; y < height; y++)
        {
            float* m = (float*)mask.Ptr(y);
            float* p = (float*)prediction.Ptr(y);
            switch (depth)
            {
                case MatType.CV_8U:
                    Row((byte*)frame.Ptr(y), p, m, width, 255f);
                    break;
                case MatType.CV_16U:
                    Row((ushort*)frame.Ptr(y), p, m, width, 65535f);
                    break;
                case MatType.CV_32F:
                    Row((float*)frame.Ptr(y), p, m, width);
                    break;
                default:
                    throw new ArgumentException($"Frames are blended at 8 or 16 bits or float, not {frame.Type()}.", nameof(frame));
            }
        }
    }

    /// <summary>Whether a mask value changes an 8-bit picture at all (it rounds to at least 1 of 255).</summary>
    private static bool Touches(float m) => MathF.Round(m * 255f) >= 1;

    // 8 and 16 bits: blended in [0, 1] and rounded back to the nearest level (full = 255 or 65535).
    private static unsafe void Row<T>(T* f, float* p, float* m, int width, float full)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        float inverse = 1f / full;
        for (int x = 0; x < width; x++, f += 3, p += 3)
        {
            float a = m[x];
            if (!Touches(a))
            {
                continue;
            }

            float keep = 1 - a;
            for (int c = 0; c < 3; c++)
            {
                float v = ((p[c] * a) + (float.CreateTruncating(f[c]) * inverse * keep)) * full;
                f[c] = T.CreateSaturating(MathF.Round(v));
            }
        }
    }

    private static unsafe void Row(float* f, float* p, float* m, int width)
    {
        for (int x = 0; x < width; x++, f += 3, p += 3)
        {
            float a = m[x];
            if (!Touches(a))
            {
                continue;
            }

            float keep = 1 - a;
            for (int c = 0; c < 3; c++)
            {
                f[c] = (p[c] * a) + (f[c] * keep);
            }
        }
    }

    /// <summary>The rectangle (within <paramref name="mask"/>) of the values that <see cref="Touches"/>, or an empty one.</summary>
    public static unsafe Rect Bounds(Mat mask)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1, width = mask.Width, height = mask.Height;
        for (int y = 0; y < height; y++)
        {
            float* row = (float*)mask.Ptr(y);
            for (int x = 0; x < width; x++)
            {
                if (Touches(row[x]))
                {
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = y;
                }
            }
        }

        return x1 < 0 ? default : new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
