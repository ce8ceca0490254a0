using OpenFX.Net;

namespace DFLComposite.Ofx;

/// <summary>
/// Pixels addressed the OpenFX way: <see cref="Data"/> is the pixel (Bounds.X1, Bounds.Y1), row y starts at
/// Data + (y - Bounds.Y1) * RowBytes. RowBytes is negative for buffers stored top-down (MLT), and for the node's
/// frames, which are packed top-down and tight (see <see cref="Packed"/>).
/// </summary>
public readonly unsafe struct PixelRegion(byte* data, OfxRectI bounds, long rowBytes, int bytesPerPixel)
{
    public byte* Data { get; } = data;

    public OfxRectI Bounds { get; } = bounds;

    public long RowBytes { get; } = rowBytes;

    public int BytesPerPixel { get; } = bytesPerPixel;

    public static PixelRegion Of(Image image) => new(image.Data, image.Bounds, image.RowBytes, image.BytesPerPixel);

    /// <summary>A tightly packed top-down buffer (first row in memory = top row, Bounds.Y2 - 1) seen as a region.</summary>
    public static PixelRegion Packed(byte* buffer, OfxRectI bounds, int bytesPerPixel)
    {
        long stride = (long)bounds.Width * bytesPerPixel;
        return new PixelRegion(buffer + ((bounds.Height - 1) * stride), bounds, -stride, bytesPerPixel);
    }

    public static long PackedSize(OfxRectI bounds, int bytesPerPixel) => (long)bounds.Width * bounds.Height * bytesPerPixel;

    public byte* Pixel(int x, int y) => Data + ((y - Bounds.Y1) * RowBytes) + ((long)(x - Bounds.X1) * BytesPerPixel);

    /// <summary>
    /// Writes <paramref name="window"/> ∩ dst.Bounds of <paramref name="dst"/>: bytes from <paramref name="src"/> where
    /// it has pixels, zero (transparent black) where it has none. Both must have the same pixel size.
    /// </summary>
    public static void Copy(PixelRegion src, PixelRegion dst, OfxRectI window)
    {
        if (src.BytesPerPixel != dst.BytesPerPixel)
        {
            throw new OfxException(OfxStatus.ErrImageFormat, "source and output pixel formats differ");
        }

        OfxRectI area = window.Intersect(dst.Bounds);
        if (area.IsEmpty)
        {
            return;
        }

        int bpp = dst.BytesPerPixel;
        OfxRectI from = area.Intersect(src.Bounds);
        for (int y = area.Y1; y < area.Y2; y++)
        {
            byte* row = dst.Pixel(area.X1, y);
            if (from.IsEmpty || y < from.Y1 || y >= from.Y2)
            {
                new Span<byte>(row, area.Width * bpp).Clear();
                continue;
            }

            int left = from.X1 - area.X1, right = area.X2 - from.X2;
            if (left > 0)
            {
                new Span<byte>(row, left * bpp).Clear();
            }

            Buffer.MemoryCopy(src.Pixel(from.X1, y), row + (left * bpp), (long)from.Width * bpp, (long)from.Width * bpp);
            if (right > 0)
            {
                new Span<byte>(row + ((left + from.Width) * bpp), right * bpp).Clear();
            }
        }
    }

    /// <summary>Zeroes <paramref name="window"/> ∩ Bounds (an output with no source).</summary>
    public static void Clear(PixelRegion dst, OfxRectI window)
    {
        OfxRectI area = window.Intersect(dst.Bounds);
        for (int y = area.Y1; y < area.Y2; y++)
        {
            new Span<byte>(dst.Pixel(area.X1, y), area.Width * dst.BytesPerPixel).Clear();
        }
    }
}
