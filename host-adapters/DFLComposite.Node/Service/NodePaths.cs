namespace DFLComposite.Node.Service;

/// <summary>
/// Where the node keeps its files: the token and <c>node.json</c> (how hosts find the node) in the config folder
/// (<c>$XDG_CONFIG_HOME/dflcomposite</c>, <c>%APPDATA%\dflcomposite</c> on Windows), the job store and job logs in the
/// state folder (<c>$XDG_STATE_HOME/dflcomposite</c>, or <c>--state</c>).
/// </summary>
internal static class NodePaths
{
    public static string ConfigFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "dflcomposite");
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(Home, ".config"), "dflcomposite");
    }

    public static string StateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "dflcomposite");
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(Home, ".local", "state"), "dflcomposite");
    }

    public static string TokenFile(string config) => Path.Combine(config, "token");

    public static string NodeFile(string config) => Path.Combine(config, "node.json");

    public static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Creates a folder only its owner can enter (0700 on Unix).</summary>
    public static void PrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
