using System.Text.Json;

namespace DFLComposite.Ofx.Node;

/// <summary>
/// Where the node listens, read from what `dflc serve` publishes: $XDG_CONFIG_HOME/dflcomposite/node.json
/// (default ~/.config/dflcomposite/node.json; DFLC_NODE_JSON overrides the path) =
/// {"port":47600,"frameSocket":"/path/to.sock","pid":123}, and the bearer token in the file "token" beside it.
/// Read again for every new connection, so a restarted node is found.
/// </summary>
public sealed record NodeConfig(string NodeJsonPath, string FrameSocket, int Pid, int Port, string Token)
{
    /// <summary>The node.json path in effect.</summary>
    public static string NodeJsonLocation()
    {
        string? over = Environment.GetEnvironmentVariable("DFLC_NODE_JSON");
        if (!string.IsNullOrEmpty(over))
        {
            return over;
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string config = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "dflcomposite", "node.json");
    }

    /// <summary>The current config, or a fault saying why there is none.</summary>
    public static NodeConfig Read()
    {
        string path = NodeJsonLocation();
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NodeException(NodeFault.Missing(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException(NodeFault.BadConfig(path, e.Message));
        }

        string socket;
        int pid, port;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement root = doc.RootElement;
            socket = root.TryGetProperty("frameSocket", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
            pid = root.TryGetProperty("pid", out JsonElement p) && p.TryGetInt32(out int pv) ? pv : 0;
            port = root.TryGetProperty("port", out JsonElement o) && o.TryGetInt32(out int ov) ? ov : 0;
        }
        catch (JsonException e)
        {
            throw new NodeException(NodeFault.BadConfig(path, "not JSON: " + e.Message));
        }

        if (socket.Length == 0)
        {
            throw new NodeException(NodeFault.BadConfig(path, "no \"frameSocket\""));
        }

        string tokenPath = Path.Combine(Path.GetDirectoryName(path) ?? ".", "token");
        string token;
        try
        {
            token = File.ReadAllText(tokenPath).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException(NodeFault.NoToken(tokenPath));
        }

        return token.Length == 0 ? throw new NodeException(NodeFault.NoToken(tokenPath)) : new NodeConfig(path, socket, pid, port, token);
    }

    /// <summary>How long to wait for one answer: DFLC_OFX_TIMEOUT seconds, default 30.</summary>
    public static TimeSpan FrameTimeout()
    {
        string? v = Environment.GetEnvironmentVariable("DFLC_OFX_TIMEOUT");
        return double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(30);
    }
}
