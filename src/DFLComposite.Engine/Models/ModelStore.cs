using System.Security.Cryptography;

namespace DFLComposite.Engine.Models;

/// <summary>The state of one model file on disk.</summary>
public enum ModelFileState
{
    Ok,
    Missing,
    ChecksumMismatch,
}

public sealed record ModelFileStatus(ModelFile File, string Path, ModelFileState State, string? ActualSha256);

/// <summary>
/// Finds and verifies model files in one folder. Nothing is ever downloaded here: set-up fetches,
/// the engine only reads, and a missing or altered file is an error that names it.
/// </summary>
public sealed class ModelStore(string directory)
{
    public string Directory { get; } = directory;

    public string PathOf(string fileName) => System.IO.Path.Combine(Directory, fileName);

    /// <summary>The path of a model file, after checking it exists (not its checksum: see <see cref="Verify"/>).</summary>
    /// <exception cref="ModelFileException">The file is absent.</exception>
    public string Require(string fileName)
    {
        string path = PathOf(fileName);
        if (!File.Exists(path))
        {
            throw new ModelFileException(
                $"Model file {path} is missing. Run ./run.sh setup (or scripts/fetch-models.sh) to fetch it, or point {ModelManifest.ModelsVariable} at a folder that has it.");
        }

        return path;
    }

    public ModelFileStatus Verify(ModelFile file)
    {
        string path = PathOf(file.FileName);
        if (!File.Exists(path))
        {
            return new ModelFileStatus(file, path, ModelFileState.Missing, null);
        }

        string actual = Sha256Of(path);
        ModelFileState state = string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase)
            ? ModelFileState.Ok
            : ModelFileState.ChecksumMismatch;
        return new ModelFileStatus(file, path, state, actual);
    }

    public IReadOnlyList<ModelFileStatus> VerifyAll() => ModelManifest.All.Select(Verify).ToArray();

    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>A model file is missing or not the file we expect.</summary>
public sealed class ModelFileException(string message) : Exception(message);
