namespace DFLComposite.Media;

/// <summary>
/// A frame as packed 8-bit BGR (OpenCV's and ffmpeg's bgr24 order), row-major, no padding.
/// The contract type between host, engine and plugins: plain bytes so a plugin need not share
/// the host's imaging library.
/// </summary>
public sealed class ImageFrame
{
    public ImageFrame(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"Expected {width * height * 3} bytes for {width}x{height} BGR, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>BGR bytes, <c>Width * Height * 3</c> long.</summary>
    public byte[] Pixels { get; }

    public int Stride => Width * 3;
}
