namespace DFLComposite.Merge;

/// <summary>
/// A float image for the merge stage's plugins: height x width x channels, interleaved, BGR order for colour,
/// values in [0, 1]. Plain arrays so a plugin need not share the host's imaging library.
/// </summary>
public sealed class FaceImage
{
    public FaceImage(int width, int height, int channels, float[] pixels)
    {
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"Expected {width * height * channels} values for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public float[] Pixels { get; }
}
