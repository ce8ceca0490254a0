namespace DFLComposite.Media;

/// <summary>How an <see cref="ImageFrame"/>'s bytes are laid out.</summary>
public enum PixelFormat
{
    /// <summary>8-bit B, G, R (OpenCV's and ffmpeg's bgr24): what decoders give and detectors, landmarkers and models take.</summary>
    Bgr8,

    /// <summary>8-bit R, G, B, A (OFX byte images).</summary>
    Rgba8,

    /// <summary>16-bit R, G, B, A, native byte order (OFX short images, 16-bit PNG).</summary>
    Rgba16,

    /// <summary>32-bit float R, G, B, A (OFX float images, EXR). Values are the host's: linear or not, not clamped.</summary>
    RgbaF32,
}

/// <summary>
/// A frame as packed pixels, row-major, rows <see cref="Stride"/> bytes apart. The contract type between hosts, the
/// engine and plugins: plain bytes, so a plugin need not share the host's imaging library. Detectors and landmarkers
/// are always given <see cref="PixelFormat.Bgr8"/> frames; hosts may hand the engine any format, and a merge keeps
/// the host's format (a float frame is never rounded to 8 bits outside the face).
/// </summary>
public sealed class ImageFrame
{
    /// <summary>A tightly packed 8-bit BGR frame.</summary>
    public ImageFrame(int width, int height, byte[] pixels)
        : this(width, height, PixelFormat.Bgr8, pixels)
    {
    }

    /// <param name="stride">Bytes from one row to the next (0 = tightly packed).</param>
    public ImageFrame(int width, int height, PixelFormat format, byte[] pixels, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        int row = checked(width * BytesPerPixelOf(format));
        stride = stride == 0 ? row : stride;
        if (stride < row)
        {
            throw new ArgumentException($"A stride of {stride} bytes is shorter than a row of {width} {format} pixels ({row} bytes).", nameof(stride));
        }

        long need = ((long)stride * (height - 1)) + row;
        if (pixels.Length < need || (stride == row && pixels.Length != need))
        {
            throw new ArgumentException($"Expected {need} bytes for {width}x{height} {format} with stride {stride}, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Format = format;
        Pixels = pixels;
        Stride = stride;
    }

    public int Width { get; }

    public int Height { get; }

    public PixelFormat Format { get; }

    /// <summary>The pixel bytes; row <c>y</c> starts at <c>y * Stride</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes from one row to the next (at least <c>Width * BytesPerPixel</c>).</summary>
    public int Stride { get; }

    public int BytesPerPixel => BytesPerPixelOf(Format);

    /// <summary>Rows carry no padding.</summary>
    public bool IsPacked => Stride == Width * BytesPerPixel;

    public static int BytesPerPixelOf(PixelFormat format) => format switch
    {
        PixelFormat.Bgr8 => 3,
        PixelFormat.Rgba8 => 4,
        PixelFormat.Rgba16 => 8,
        PixelFormat.RgbaF32 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
