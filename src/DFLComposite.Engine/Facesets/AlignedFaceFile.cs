using System.Text.Json;
using System.Text.Json.Serialization;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// An aligned face on disk: a JPEG (metadata in APP11 segments) or PNG (metadata in an iTXt chunk), the
/// metadata being <see cref="AlignedFaceMetadata"/> as JSON. Any image viewer opens the file; the metadata
/// travels with it.
/// </summary>
public static class AlignedFaceFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Encode(AlignedFace face, bool png = false, int jpegQuality = 90)
    {
        using Mat image = face.Image.AsMat();
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(face.Metadata, Json);
        if (png)
        {
            Cv2.ImEncode(".png", image, out byte[] pngBytes, new ImageEncodingParam(ImwriteFlags.PngCompression, 3));
            return PngChunks.Embed(pngBytes, payload);
        }

        Cv2.ImEncode(".jpg", image, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, jpegQuality));
        return JpegSegments.Embed(jpeg, payload);
    }

    public static void Write(string path, AlignedFace face, bool png = false, int jpegQuality = 90)
    {
        byte[] bytes;
        using (Diagnostics.StageTimes.Measure("encode face"))
        {
            bytes = Encode(face, png, jpegQuality);
        }

        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Replaces a face file's metadata with <paramref name="change"/>'s result, atomically. The image bytes are
    /// kept as they are (a JPEG is not re-encoded, so labelling or masking a face costs no quality).
    /// </summary>
    /// <exception cref="MediaException">The file is missing, unreadable or carries no (or newer) metadata.</exception>
    public static AlignedFaceMetadata UpdateMetadata(string path, Func<AlignedFaceMetadata, AlignedFaceMetadata> change)
    {
        byte[] bytes = ReadBytes(path);
        AlignedFaceMetadata updated = change(ParseMetadata(path, bytes));
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(updated, Json);
        AtomicFile.WriteAllBytes(path, IsPng(bytes) ? PngChunks.Embed(bytes, payload) : JpegSegments.Embed(bytes, payload));
        return updated;
    }

    /// <summary>
    /// What is wrong with a face file, cheaply (the image is not decoded): missing, empty, no metadata, or cut short
    /// (no JPEG end marker / PNG end chunk). Null when it looks whole.
    /// </summary>
    public static string? Problem(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return "missing";
            }

            if (info.Length == 0)
            {
                return "empty file (0 bytes)";
            }

            byte[] bytes = File.ReadAllBytes(path);
            _ = ParseMetadata(path, bytes);
            bool whole = IsPng(bytes)
                ? bytes.Length >= 12 && bytes.AsSpan(bytes.Length - 8, 4).SequenceEqual("IEND"u8)
                : bytes.Length >= 2 && bytes[^2] == 0xFF && bytes[^1] == 0xD9;
            return whole ? null : "truncated (the image ends early)";
        }
        catch (Exception ex) when (ex is MediaException or IOException or UnauthorizedAccessException)
        {
            return ex.Message.Replace(path + ": ", "", StringComparison.Ordinal);
        }
    }

    /// <summary>Only the metadata (the image is not decoded).</summary>
    /// <exception cref="MediaException">The file is missing, unreadable or carries no (or newer) metadata.</exception>
    public static AlignedFaceMetadata ReadMetadata(string path) => ParseMetadata(path, ReadBytes(path));

    public static AlignedFace Read(string path)
    {
        byte[] bytes = ReadBytes(path);
        AlignedFaceMetadata metadata = ParseMetadata(path, bytes);
        using Mat mat = Cv2.ImDecode(bytes, ImreadModes.Color);
        if (mat.Empty())
        {
            throw new MediaException($"{path}: the image data is corrupt or truncated; re-extract this face.");
        }

        return new AlignedFace(mat.ToFrame(), metadata);
    }

    public static bool IsFaceFile(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".jpg" or ".jpeg" or ".png";
    }

    private static bool IsPng(byte[] bytes) => bytes.Length > 8 && bytes[0] == 0x89;

    private static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new MediaException($"{path}: file not found.");
        }

        return File.ReadAllBytes(path);
    }

    private static AlignedFaceMetadata ParseMetadata(string path, byte[] bytes)
    {
        byte[]? payload;
        try
        {
            payload = IsPng(bytes) ? PngChunks.Extract(bytes) : JpegSegments.Extract(bytes);
        }
        catch (InvalidDataException ex)
        {
            throw new MediaException($"{path}: {ex.Message}", ex);
        }

        if (payload is null)
        {
            throw new MediaException($"{path}: not an aligned face (no DFLComposite metadata). DeepFaceLab faces can be converted with `dflc faceset import-dfl`.");
        }

        AlignedFaceMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<AlignedFaceMetadata>(payload, Json);
        }
        catch (JsonException ex)
        {
            throw new MediaException($"{path}: the face metadata is damaged ({ex.Message}); re-extract this face.", ex);
        }

        if (metadata is null)
        {
            throw new MediaException($"{path}: empty face metadata; re-extract this face.");
        }

        if (metadata.Version > AlignedFaceMetadata.CurrentVersion)
        {
            throw new MediaException($"{path}: written by a newer DFLComposite (metadata version {metadata.Version}); update dflc.");
        }

        return metadata;
    }
}
