using System.Buffers.Binary;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// Reads and writes application segments of a JPEG file. Our metadata lives in APP11 segments that start
/// with the signature <c>"DFLC\0"</c>, a sequence number and a count, so a payload larger than one segment
/// (64 KiB) spans several. DeepFaceLab's own metadata (APP15, a pickle) is read by <see cref="ReadSegments"/> too.
/// </summary>
public static class JpegSegments
{
    public const byte App11 = 0xEB;
    public const byte App15 = 0xEF;
    private static readonly byte[] Signature = "DFLC\0"u8.ToArray();
    private const int MaxChunk = 65535 - 2 - 5 - 2;

    /// <summary>The JPEG with our payload inserted after SOI and any APP0 (JFIF) segment; old payloads removed.</summary>
    public static byte[] Embed(byte[] jpeg, byte[] payload)
    {
        RequireJpeg(jpeg);
        var segments = ReadSegments(jpeg).ToList();
        int insertAt = 2;
        foreach (var s in segments)
        {
            if (s.Marker == 0xE0)
            {
                insertAt = s.End;
            }
        }

        int chunks = Math.Max(1, (payload.Length + MaxChunk - 1) / MaxChunk);
        if (chunks > 255)
        {
            throw new ArgumentException("Metadata too large to embed (over 16 MiB).", nameof(payload));
        }

        using var output = new MemoryStream(jpeg.Length + payload.Length + (chunks * 11));
        output.Write(jpeg, 0, insertAt);
        for (int i = 0; i < chunks; i++)
        {
            int offset = i * MaxChunk, length = Math.Min(MaxChunk, payload.Length - offset);
            int segmentLength = 2 + Signature.Length + 2 + length;
            output.WriteByte(0xFF);
            output.WriteByte(App11);
            output.WriteByte((byte)(segmentLength >> 8));
            output.WriteByte((byte)segmentLength);
            output.Write(Signature);
            output.WriteByte((byte)i);
            output.WriteByte((byte)chunks);
            output.Write(payload, offset, length);
        }

        // Copy the rest, dropping any payload of ours already there.
        int at = insertAt;
        foreach (var s in segments.Where(s => s.Start >= insertAt))
        {
            if (IsOurs(jpeg, s))
            {
                output.Write(jpeg, at, s.Start - at);
                at = s.End;
            }
        }

        output.Write(jpeg, at, jpeg.Length - at);
        return output.ToArray();
    }

    /// <summary>Our payload, or null when the file carries none. Throws on a malformed file.</summary>
    public static byte[]? Extract(byte[] jpeg)
    {
        RequireJpeg(jpeg);
        var parts = new SortedDictionary<int, (int Offset, int Length)>();
        int count = 0;
        foreach (var s in ReadSegments(jpeg))
        {
            if (IsOurs(jpeg, s))
            {
                int body = s.Start + 4 + Signature.Length;
                parts[jpeg[body]] = (body + 2, s.End - body - 2);
                count = jpeg[body + 1];
            }
        }

        if (parts.Count == 0)
        {
            return null;
        }

        if (parts.Count != count || parts.Keys.Last() != count - 1)
        {
            throw new InvalidDataException($"Metadata is incomplete: {parts.Count} of {count} segments.");
        }

        using var payload = new MemoryStream();
        foreach (var (offset, length) in parts.Values)
        {
            payload.Write(jpeg, offset, length);
        }

        return payload.ToArray();
    }

    /// <summary>Header segments (markers with a length) up to the start of scan. Start/End bound the whole segment.</summary>
    public static IEnumerable<(byte Marker, int Start, int End)> ReadSegments(byte[] jpeg)
    {
        int i = 2;
        while (i + 4 <= jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                throw new InvalidDataException($"Malformed JPEG: expected a marker at byte {i}.");
            }

            byte marker = jpeg[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker == 0xDA || marker == 0xD9)
            {
                yield break; // start of scan / end of image: no more header segments
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            int end = i + 2 + length;
            if (length < 2 || end > jpeg.Length)
            {
                throw new InvalidDataException($"Malformed JPEG: segment at byte {i} runs past the end of the file.");
            }

            yield return (marker, i, end);
            i = end;
        }
    }

    private static bool IsOurs(byte[] jpeg, (byte Marker, int Start, int End) s) =>
        s.Marker == App11 && s.End - s.Start >= 4 + Signature.Length + 2 && jpeg.AsSpan(s.Start + 4, Signature.Length).SequenceEqual(Signature);

    private static void RequireJpeg(byte[] jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new InvalidDataException("Not a JPEG file (no SOI marker).");
        }
    }
}
