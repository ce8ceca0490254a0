using System.Security.Cryptography;
using System.Text;

namespace DFLComposite.Node.Service;

/// <summary>
/// The bearer token every request must carry: 256 random bits, made on the node's first start, kept in a file only
/// its owner can read (0600, in a 0700 folder), compared in constant time.
/// </summary>
internal sealed class NodeToken
{
    private readonly byte[] _bytes;

    private NodeToken(string value, string file)
    {
        Value = value;
        File = file;
        _bytes = Encoding.ASCII.GetBytes(value);
    }

    public string Value { get; }

    public string File { get; }

    public static NodeToken LoadOrCreate(string configFolder)
    {
        NodePaths.PrivateFolder(configFolder);
        string file = NodePaths.TokenFile(configFolder);
        if (System.IO.File.Exists(file) && System.IO.File.ReadAllText(file).Trim() is { Length: >= 43 } existing)
        {
            Protect(file);
            return new NodeToken(existing, file);
        }

        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string temp = file + ".tmp";
        System.IO.File.WriteAllText(temp, "");
        Protect(temp); // restricted before the secret is in it
        System.IO.File.WriteAllText(temp, token + "\n");
        System.IO.File.Move(temp, file, overwrite: true);
        return new NodeToken(token, file);
    }

    /// <summary>True when <paramref name="candidate"/> is the token (constant time in the token's length).</summary>
    public bool Matches(string? candidate)
    {
        if (candidate is null)
        {
            return false;
        }

        byte[] given = Encoding.ASCII.GetBytes(candidate.Trim());
        return given.Length == _bytes.Length && CryptographicOperations.FixedTimeEquals(given, _bytes);
    }

    private static void Protect(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
