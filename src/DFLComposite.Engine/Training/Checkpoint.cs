using System.Security.Cryptography;
using System.Text.Json;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.IO;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>What a checkpoint says about itself (JSON header).</summary>
public sealed record CheckpointHeader(int Version, SwapModelOptions Options, TrainSettings Settings, long Iteration, DateTimeOffset Saved, long ParameterCount) : ICheckpointHeader;

/// <summary>What every model kind's checkpoint header says, whatever else it holds.</summary>
public interface ICheckpointHeader
{
    long Iteration { get; }
}

/// <summary>
/// A workspace's model file: <c>"DFLCKPT1"</c>, header length + JSON header, the network's weights (TorchSharp's
/// own tensor format, which stores numbers only and runs no code on load), the optimiser state, the loss history,
/// then a SHA-256 of everything before it. Saved atomically; the previous file is kept as a rotating backup.
/// A file that fails its checksum or cannot be parsed is reported and the newest good backup is used.
/// The header type is the model kind's own (<see cref="CheckpointHeader"/> for swap models, the segmentation
/// trainer's for XSeg); the rest of the format is shared.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "model.dflc";
    public const string BackupFolder = "backups";
    private static readonly byte[] Magic = "DFLCKPT1"u8.ToArray();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime Written, byte[] Header)> VerifiedHeaders = new(StringComparer.Ordinal);

    public static void Save<THeader>(string workspace, THeader header, nn.Module network, AdamOptimizer optimizer, LossHistory history, int backups)
        where THeader : ICheckpointHeader
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, AlignedFaceFile.Json);
            w.Write(json.Length);
            w.Write(json);
            network.save(w);
            optimizer.Save(w);
            history.Write(w);
        }

        byte[] hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Write(hash);

        string path = Path.Combine(workspace, FileName);
        // The new file is written in full first; only then does the old one move to backups/ and the new one take its
        // name. A full disk therefore leaves model.dflc as it was (and says so, exit 6).
        AtomicFile.WriteAllBytes(path, body.GetBuffer().AsSpan(0, (int)body.Length), () => Rotate(workspace, path, backups));
    }

    private static void Rotate(string workspace, string path, int backups)
    {
        if (File.Exists(path) && backups > 0)
        {
            string folder = Path.Combine(workspace, BackupFolder);
            Directory.CreateDirectory(folder);
            // Move, not copy: instant for any size. A kill right after leaves no model.dflc, and Find() then
            // takes this backup, which is the same file.
            string backup = Path.Combine(folder, $"model.{DateTime.UtcNow:yyyyMMddHHmmssfff}.dflc");
            File.Move(path, backup, overwrite: true);
            foreach (string old in Directory.GetFiles(folder, "model.*.dflc").Order(StringComparer.Ordinal).SkipLast(backups))
            {
                File.Delete(old);
            }
        }
    }

    /// <summary>Reads the header only (for model info), after verifying the checksum.</summary>
    public static CheckpointHeader ReadHeader(string file) => ReadHeader<CheckpointHeader>(file);

    /// <summary>Reads a header of the given kind only, after verifying the checksum.</summary>
    /// <remarks>
    /// Verifying reads the whole file (hundreds of MB for a large model), and a model list asks again and again
    /// about files that have not changed: a file's verified header is kept while its size and write time stay the
    /// same (a save replaces the file, so both change).
    /// </remarks>
    public static THeader ReadHeader<THeader>(string file)
        where THeader : ICheckpointHeader
    {
        var before = new FileInfo(file);
        if (VerifiedHeaders.TryGetValue(before.FullName, out var known) && before.Exists && known.Length == before.Length && known.Written == before.LastWriteTimeUtc)
        {
            return ParseHeader<THeader>(known.Header);
        }

        byte[] header;
        using (BinaryReader r = Open(file, out _))
        {
            header = HeaderBytes(r);
        }

        // Stat taken before the read: if the file was replaced meanwhile, the next stat differs and it is read again.
        VerifiedHeaders[before.FullName] = (before.Length, before.LastWriteTimeUtc, header);
        return ParseHeader<THeader>(header);
    }

    /// <summary>
    /// Loads the workspace's model file, or the newest good backup when it is damaged (the message says which).
    /// </summary>
    public static (CheckpointHeader Header, string File, string? Warning) Find(string workspace) => Find<CheckpointHeader>(workspace);

    /// <summary>As <see cref="Find(string)"/> for a model kind with its own header type.</summary>
    public static (THeader Header, string File, string? Warning) Find<THeader>(string workspace)
        where THeader : ICheckpointHeader
    {
        var candidates = new List<string> { Path.Combine(workspace, FileName) };
        string folder = Path.Combine(workspace, BackupFolder);
        if (Directory.Exists(folder))
        {
            candidates.AddRange(Directory.GetFiles(folder, "model.*.dflc").OrderDescending(StringComparer.Ordinal));
        }

        var problems = new List<string>();
        foreach (string file in candidates.Where(File.Exists))
        {
            try
            {
                THeader header = ReadHeader<THeader>(file);
                string? warning = problems.Count == 0 ? null : $"{string.Join("; ", problems)}. Using {file} (iteration {header.Iteration}).";
                return (header, file, warning);
            }
            catch (InvalidDataException ex)
            {
                problems.Add($"{file}{(UncheckedIteration(file) is { } it ? $" (iteration {it})" : "")} is damaged ({ex.Message})");
            }
        }

        throw problems.Count == 0
            ? new FileNotFoundException($"No model in {workspace}.")
            : new InvalidDataException($"{string.Join("; ", problems)}; no good backup left. Start a new model in another workspace.");
    }

    /// <summary>
    /// What a training run resumes from: nothing in a new workspace, else the checkpoint <paramref name="find"/>
    /// picks (a fallback to a backup is logged as a warning).
    /// </summary>
    public static (THeader Header, string File)? Resume<THeader>(string workspace, Func<string, (THeader Header, string File, string? Warning)> find, ILogger log)
    {
        if (!File.Exists(Path.Combine(workspace, FileName)) && !Directory.Exists(Path.Combine(workspace, BackupFolder)))
        {
            return null;
        }

        (THeader header, string file, string? warning) = find(workspace);
        if (warning is not null)
        {
            log.LogWarning("{Warning}", warning);
        }

        return (header, file);
    }

    public static LossHistory Load(string file, nn.Module network, AdamOptimizer optimizer)
    {
        using BinaryReader r = Open(file, out _);
        SkipHeader(r);
        try
        {
            network.load(r, strict: true);
            optimizer.Load(r);
            return LossHistory.Read(r);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or EndOfStreamException or InvalidOperationException)
        {
            throw new BadInputException($"{file}: the weights do not fit the model its header describes ({ex.Message.Split('\n')[0]}); use a backup from its backups/ folder, or train a new model in another workspace.", ex);
        }
    }

    /// <summary>Only the network's weights (for merging; the optimiser state is skipped).</summary>
    public static void LoadWeights(string file, nn.Module network)
    {
        using BinaryReader r = Open(file, out _);
        SkipHeader(r);
        network.load(r, strict: true);
    }

    // The iteration a damaged file says it holds (its header may be intact when the rest is not), for messages.
    private static long? UncheckedIteration(string file)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(file));
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                return null;
            }

            using JsonDocument doc = JsonDocument.Parse(HeaderBytes(r));
            return doc.RootElement.TryGetProperty("iteration", out JsonElement it) && it.TryGetInt64(out long n) ? n : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static THeader ParseHeader<THeader>(byte[] header)
    {
        try
        {
            return JsonSerializer.Deserialize<THeader>(header, AlignedFaceFile.Json) ?? throw new InvalidDataException("empty header");
        }
        catch (JsonException ex)
        {
            // e.g. an XSeg workspace given where a swap model is expected: say so instead of a parser trace
            throw new InvalidDataException($"the header is not a {typeof(THeader).Name} ({ex.Message})", ex);
        }
    }

    private static void SkipHeader(BinaryReader r) => HeaderBytes(r);

    private static byte[] HeaderBytes(BinaryReader r)
    {
        int length = r.ReadInt32();
        if (length is <= 0 or > 1 << 24)
        {
            throw new InvalidDataException("bad header length");
        }

        return r.ReadBytes(length);
    }

    private static BinaryReader Open(string file, out long length)
    {
        byte[] bytes = File.ReadAllBytes(file);
        length = bytes.Length;
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a DFLComposite model file, or truncated");
        }

        byte[] expected = SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw new InvalidDataException("checksum mismatch: the file is truncated or corrupt");
        }

        var r = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length - 32));
        return r;
    }
}
