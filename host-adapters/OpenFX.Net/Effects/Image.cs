namespace OpenFX.Net;

/// <summary>
/// An image fetched from a clip: its pixels stay the host's until <see cref="Dispose"/> releases them.
/// Rows follow OpenFX's convention: <see cref="Data"/> is the pixel (Bounds.X1, Bounds.Y1), the bottom-left, and
/// row y starts at Data + (y - Bounds.Y1) * RowBytes. RowBytes is negative when the host's buffer is stored top-down
/// (MLT does this); <see cref="Row"/> handles both.
/// </summary>
public sealed unsafe class Image : IDisposable
{
    private readonly ImageEffectSuite suite;
    private nint handle;

    public Image(OfxHostContext host, nint imageHandle)
    {
        suite = host.ImageEffect;
        handle = imageHandle;
        PropertySuite p = host.Property;
        Data = (byte*)p.GetPointer(imageHandle, OfxImageEffectProps.ImageData);
        Span<int> b = stackalloc int[4];
        if (!p.TryGetInts(imageHandle, OfxImageEffectProps.ImageBounds, b))
        {
            throw new OfxException(OfxStatus.ErrValue, "image has no bounds");
        }

        Bounds = new OfxRectI(b[0], b[1], b[2], b[3]);
        RowBytes = p.GetInt(imageHandle, OfxImageEffectProps.ImageRowBytes);
        PixelDepth = p.GetString(imageHandle, OfxImageEffectProps.PixelDepth);
        Components = p.GetString(imageHandle, OfxImageEffectProps.Components);
        BytesPerPixel = OfxBitDepth.BytesPerComponent(PixelDepth) * OfxComponents.Count(Components);
        Span<double> s = stackalloc double[2];
        RenderScale = p.TryGetDoubles(imageHandle, OfxImageEffectProps.RenderScale, s) ? new OfxPointD { X = s[0], Y = s[1] } : new OfxPointD { X = 1, Y = 1 };
        if (Data == null || BytesPerPixel == 0 || Bounds.IsEmpty || Math.Abs((long)RowBytes) < (long)Bounds.Width * BytesPerPixel)
        {
            throw new OfxException(OfxStatus.ErrImageFormat, $"unusable image ({PixelDepth} {Components}, bounds {Bounds}, rowBytes {RowBytes})");
        }
    }

    public byte* Data { get; }

    public OfxRectI Bounds { get; }

    public int RowBytes { get; }

    public string PixelDepth { get; }

    public string Components { get; }

    public int BytesPerPixel { get; }

    public OfxPointD RenderScale { get; }

    /// <summary>The first byte of row y (OpenFX pixel coordinates, y up).</summary>
    public byte* Row(int y) => Data + ((long)(y - Bounds.Y1) * RowBytes);

    /// <summary>The pixel (x, y).</summary>
    public byte* Pixel(int x, int y) => Row(y) + ((long)(x - Bounds.X1) * BytesPerPixel);

    public void Dispose()
    {
        nint h = Interlocked.Exchange(ref handle, 0);
        if (h != 0)
        {
            suite.ReleaseImage(h);
        }
    }
}

/// <summary>An instance's clip.</summary>
public sealed class Clip(OfxHostContext host, string name, nint handle, nint properties)
{
    public string Name { get; } = name;

    public nint Handle { get; } = handle;

    public nint Properties { get; } = properties;

    public bool IsConnected => !host.Property.TryGetInt(Properties, OfxImageEffectProps.ClipConnected, out int c) || c != 0;

    /// <summary>The mapped pixel depth the effect will receive ("" if unknown).</summary>
    public string PixelDepth => host.Property.TryGetString(Properties, OfxImageEffectProps.PixelDepth, out string? d) ? d ?? "" : "";

    public string Components => host.Property.TryGetString(Properties, OfxImageEffectProps.Components, out string? c) ? c ?? "" : "";

    public string PreMultiplication =>
        host.Property.TryGetString(Properties, OfxImageEffectProps.PreMultiplication, out string? p) ? p ?? "" : "";

    /// <summary>The image at a time (the whole image when region is null), or null when the host has none.</summary>
    public Image? GetImage(double time, OfxRectD? region = null)
    {
        if (!host.ImageEffect.TryGetImage(Handle, time, region, out nint image))
        {
            return null;
        }

        try
        {
            return new Image(host, image);
        }
        catch
        {
            host.ImageEffect.ReleaseImage(image);
            throw;
        }
    }
}
