using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DFLComposite.Plugins.Identity;

/// <summary>One named weight array from a TF.js weights manifest, already de-quantised, in the manifest's shape.</summary>
public sealed record TfjsWeight(string Name, long[] Shape, float[] Values);

/// <summary>
/// Reads TF.js "weights-only" models: a JSON manifest listing each weight (name, shape, dtype, optional
/// quantisation) in order, and the binary shard files those weights are concatenated into. Loading is data
/// only — JSON and raw little-endian numbers — so a model file cannot run code.
/// </summary>
public static class TfjsWeights
{
    /// <summary>All weights of the manifest in file order.</summary>
    /// <exception cref="InvalidDataException">The manifest and the shards disagree (size, dtype, shape).</exception>
    public static IReadOnlyList<TfjsWeight> Load(string manifestPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        List<Group> groups = JsonSerializer.Deserialize<List<Group>>(File.ReadAllText(manifestPath))
            ?? throw new InvalidDataException($"{manifestPath}: empty weights manifest.");
        var weights = new List<TfjsWeight>();
        foreach (Group group in groups)
        {
            // A group's shards are one byte stream cut into files; its weights follow each other in it.
            byte[] data = group.Paths.SelectMany(p => File.ReadAllBytes(Path.Combine(folder, p))).ToArray();
            int offset = 0;
            foreach (Entry e in group.Weights)
            {
                weights.Add(new TfjsWeight(e.Name, e.Shape, Decode(e, data, ref offset, manifestPath)));
            }

            if (offset != data.Length)
            {
                throw new InvalidDataException(
                    $"{manifestPath}: the manifest accounts for {offset} bytes but its shards ({string.Join(", ", group.Paths)}) hold {data.Length}.");
            }
        }

        return weights;
    }

    private static float[] Decode(Entry e, byte[] data, ref int offset, string manifestPath)
    {
        long count = e.Shape.Aggregate(1L, (a, b) => a * b);
        if (e.Dtype != "float32")
        {
            throw new InvalidDataException($"{manifestPath}: weight {e.Name} has dtype {e.Dtype}; only float32 is supported.");
        }

        var values = new float[count];
        Quantization? q = e.Quantization;
        int width = q?.Dtype switch
        {
            null => 4,
            "uint8" => 1,
            "uint16" => 2,
            _ => throw new InvalidDataException($"{manifestPath}: weight {e.Name} is quantised as {q.Dtype}; only uint8 and uint16 are supported."),
        };
        if (offset + (count * width) > data.Length)
        {
            throw new InvalidDataException($"{manifestPath}: the weight shards end inside {e.Name} (truncated file?).");
        }

        ReadOnlySpan<byte> bytes = data.AsSpan(offset, (int)(count * width));
        for (int i = 0; i < count; i++)
        {
            values[i] = width switch
            {
                // TF.js affine quantisation: value = q * scale + min
                1 => (float)((bytes[i] * q!.Scale) + q.Min),
                2 => (float)((BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i * 2, 2)) * q!.Scale) + q.Min),
                _ => BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4)),
            };
        }

        offset += (int)(count * width);
        return values;
    }

    private sealed record Group(
        [property: JsonPropertyName("paths")] string[] Paths,
        [property: JsonPropertyName("weights")] Entry[] Weights);

    private sealed record Entry(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("shape")] long[] Shape,
        [property: JsonPropertyName("dtype")] string Dtype,
        [property: JsonPropertyName("quantization")] Quantization? Quantization);

    private sealed record Quantization(
        [property: JsonPropertyName("dtype")] string Dtype,
        [property: JsonPropertyName("scale")] double Scale,
        [property: JsonPropertyName("min")] double Min);
}
