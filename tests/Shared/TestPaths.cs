using System.Runtime.InteropServices;

namespace DFLComposite.Tests;

/// <summary>Where the repository, the shared test media, the models and the built dflc are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>../shared/data</c> beside the repository (never committed into it).</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static bool HasSharedData => Directory.Exists(SharedData);

    public static string ModelsDirectory => Engine.Models.ModelManifest.DefaultDirectory();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The dflc executable built in the same configuration as the tests.</summary>
    public static string Dflc => Path.Combine(RepoRoot, "host-adapters", "DFLComposite.Node", "bin", Configuration, "net10.0",
        RuntimeInformation.RuntimeIdentifier, OperatingSystem.IsWindows() ? "dflc.exe" : "dflc");

    /// <summary>A file under ../shared/data, or a skip with a clear message when that folder is absent.</summary>
    public static string Media(string relative)
    {
        Skip.IfNot(HasSharedData, $"Test media folder {SharedData} is absent (it sits beside the repository as ../shared/data); skipped.");
        string path = Path.Combine(SharedData, relative);
        Assert.True(File.Exists(path), $"{path} is missing from the shared test media.");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DFLComposite.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("DFLComposite.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dflc-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a process may still hold a file
        }
    }
}
