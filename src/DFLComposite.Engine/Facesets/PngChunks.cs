using System.Buffers.Binary;
using System.Text;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// Our metadata in a PNG: one <c>iTXt</c> chunk with keyword <c>dflcomposite</c>, uncompressed UTF-8 JSON,
/// placed before IEND. Any earlier chunk of ours is replaced.
/// </summary>
public static class PngChunks
{
    private const string Keyword = "dflcomposite";
    private static readonly byte[] Magic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Embed(byte[] png, byte[] payload)
    {
        RequirePng(png);
        using var output = new MemoryStream(png.Length + payload.Length + 64);
        output.Write(Magic);
        foreach (var (type, start, end) in Chunks(png))
        {
            if (type == "IEND")
            {
                byte[] data = [.. Encoding.ASCII.GetBytes(Keyword), 0, 0, 0, 0, 0, .. payload];
                WriteChunk(output, "iTXt", data);
            }

            if (!(type == "iTXt" && IsOurs(png, start)))
            {
                output.Write(png, start, end - start);
            }
        }

        return output.ToArray();
    }

    public static byte[]? Extract(byte[] png)
    {
        RequirePng(png);
        foreach (var (type, start, end) in Chunks(png))
        {
            if (type == "iTXt" && IsOurs(png, start))
            {
                int data = start + 8, header = Keyword.Length + 5;
                if (png[data + Keyword.Length + 1] != 0)
                {
                    throw new InvalidDataException("Compressed dflcomposite metadata is not supported.");
                }

                return png[(data + header)..(end - 4)];
            }
        }

        return null;
    }

    private static IEnumerable<(string Type, int Start, int End)> Chunks(byte[] png)
    {
        int i = Magic.Length;
        while (i + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            string type = Encoding.ASCII.GetString(png, i + 4, 4);
            int end = i + 12 + length;
            if (length < 0 || end > png.Length)
            {
                throw new InvalidDataException($"Malformed PNG: chunk {type} at byte {i} runs past the end of the file.");
            }

            yield return (type, i, end);
            if (type == "IEND")
            {
                yield break;
            }

            i = end;
        }

        throw new InvalidDataException("Malformed PNG: no IEND chunk (truncated file?).");
    }

    private static bool IsOurs(byte[] png, int start) =>
        png.Length >= start + 8 + Keyword.Length + 1 &&
        Encoding.ASCII.GetString(png, start + 8, Keyword.Length) == Keyword && png[start + 8 + Keyword.Length] == 0;

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, header[4..]), data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(tail);
    }

    private static void RequirePng(byte[] png)
    {
        if (png.Length < Magic.Length || !png.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a PNG file.");
        }
    }

    /// <summary>The CRC-32 PNG chunks use (ISO 3309 polynomial, reflected).</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            uint c = (uint)n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            return c;
        }).ToArray();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (byte b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }
    }
}
