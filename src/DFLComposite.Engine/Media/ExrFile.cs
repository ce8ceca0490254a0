using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using OpenCvSharp;

namespace DFLComposite.Engine.Media;

/// <summary>
/// Writes OpenEXR images: single-part scanline files of 32-bit float channels with ZIP compression (blocks of 16
/// lines, OpenEXR's byte-split and delta predictor before zlib). Written here because the OpenCV build we ship has no
/// EXR codec; ffmpeg, Nuke, Resolve and OpenImageIO read these files.
/// </summary>
public static class ExrFile
{
    private const int LinesPerBlock = 16;
    private const byte ZipCompression = 3;

    /// <summary>An EXR file's bytes for a float image: CV_32FC1 (channel Y), CV_32FC3 (B, G, R) or CV_32FC4 (B, G, R, A).</summary>
    public static byte[] Encode(Mat image)
    {
        int channels = image.Channels();
        if (image.Depth() != MatType.CV_32F || channels is not (1 or 3 or 4))
        {
            throw new ArgumentException($"EXR images are float with 1, 3 or 4 channels, not {image.Type()}.", nameof(image));
        }

        // OpenEXR stores channels sorted by name; index = the channel's position in the Mat's BGR(A) pixels
        (string Name, int Index)[] order = channels switch
        {
            1 => [("Y", 0)],
            3 => [("B", 0), ("G", 1), ("R", 2)],
            _ => [("A", 3), ("B", 0), ("G", 1), ("R", 2)],
        };
        int width = image.Width, height = image.Height;
        using Mat? copy = image.IsContinuous() ? null : image.Clone();
        var pixels = new float[width * height * channels];
        System.Runtime.InteropServices.Marshal.Copy((copy ?? image).Data, pixels, 0, pixels.Length);

        using var file = new MemoryStream();
        using var w = new BinaryWriter(file, Encoding.ASCII, leaveOpen: true);
        w.Write(0x01312F76); // magic 76 2f 31 01
        w.Write(2); // version 2, single-part scanline
        Attribute(w, "channels", "chlist", ChannelList(order.Select(o => o.Name)));
        Attribute(w, "compression", "compression", [ZipCompression]);
        byte[] window = Box(0, 0, width - 1, height - 1);
        Attribute(w, "dataWindow", "box2i", window);
        Attribute(w, "displayWindow", "box2i", window);
        Attribute(w, "lineOrder", "lineOrder", [0]);
        Attribute(w, "pixelAspectRatio", "float", BitConverter.GetBytes(1f));
        Attribute(w, "screenWindowCenter", "v2f", [.. BitConverter.GetBytes(0f), .. BitConverter.GetBytes(0f)]);
        Attribute(w, "screenWindowWidth", "float", BitConverter.GetBytes(1f));
        w.Write((byte)0);

        int blocks = (height + LinesPerBlock - 1) / LinesPerBlock;
        long tableAt = file.Position;
        w.Write(new byte[8 * blocks]);
        var offsets = new long[blocks];
        for (int b = 0; b < blocks; b++)
        {
            offsets[b] = file.Position;
            int y0 = b * LinesPerBlock, lines = Math.Min(LinesPerBlock, height - y0);
            byte[] raw = Block(pixels, width, channels, order, y0, lines);
            byte[] data = Zip(raw);
            w.Write(y0);
            w.Write(data.Length);
            w.Write(data);
        }

        file.Position = tableAt;
        foreach (long offset in offsets)
        {
            w.Write((ulong)offset);
        }

        w.Flush();
        return file.ToArray();
    }

    // Lines y0.. of one block, each line channel by channel, little-endian floats.
    private static byte[] Block(float[] pixels, int width, int channels, (string Name, int Index)[] order, int y0, int lines)
    {
        var raw = new byte[lines * width * channels * 4];
        int at = 0;
        for (int y = y0; y < y0 + lines; y++)
        {
            foreach ((_, int c) in order)
            {
                int row = y * width * channels;
                for (int x = 0; x < width; x++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(at, 4), pixels[row + (x * channels) + c]);
                    at += 4;
                }
            }
        }

        return raw;
    }

    // OpenEXR's ZIP: bytes split into even and odd halves, then a delta predictor, then zlib; raw when that is no smaller.
    private static byte[] Zip(byte[] raw)
    {
        var t = new byte[raw.Length];
        int half = (raw.Length + 1) / 2;
        for (int i = 0; i < raw.Length; i++)
        {
            t[(i % 2 == 0 ? 0 : half) + (i / 2)] = raw[i];
        }

        int previous = t[0];
        for (int i = 1; i < t.Length; i++)
        {
            int d = t[i] - previous + 128 + 256;
            previous = t[i];
            t[i] = (byte)d;
        }

        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(t);
        }

        return packed.Length < raw.Length ? packed.ToArray() : raw;
    }

    private static byte[] ChannelList(IEnumerable<string> names)
    {
        using var s = new MemoryStream();
        using var w = new BinaryWriter(s, Encoding.ASCII);
        foreach (string name in names)
        {
            w.Write(Encoding.ASCII.GetBytes(name));
            w.Write((byte)0);
            w.Write(2); // FLOAT
            w.Write(0); // pLinear 0, three reserved bytes
            w.Write(1); // x sampling
            w.Write(1); // y sampling
        }

        w.Write((byte)0);
        w.Flush();
        return s.ToArray();
    }

    private static byte[] Box(int x0, int y0, int x1, int y1) =>
        [.. BitConverter.GetBytes(x0), .. BitConverter.GetBytes(y0), .. BitConverter.GetBytes(x1), .. BitConverter.GetBytes(y1)];

    private static void Attribute(BinaryWriter w, string name, string type, byte[] value)
    {
        w.Write(Encoding.ASCII.GetBytes(name));
        w.Write((byte)0);
        w.Write(Encoding.ASCII.GetBytes(type));
        w.Write((byte)0);
        w.Write(value.Length);
        w.Write(value);
    }
}
