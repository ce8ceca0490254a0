using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>What the fake node does with the n-th frame message it receives (0-based).</summary>
public enum NodeBehaviour
{
    /// <summary>Writes the bitwise NOT of the input as output and answers {"ok":true,"faces":1}.</summary>
    Invert,

    /// <summary>Answers {"ok":false,"error":...}.</summary>
    Error,

    /// <summary>Never answers (the client's timeout must fire).</summary>
    Hang,

    /// <summary>Closes the connection without answering (a node that crashed mid-frame and was restarted).</summary>
    Close,

    /// <summary>Stops listening, removes its socket and closes the connection: a node that exited for good.</summary>
    Die,
}

/// <summary>
/// The node's side of docs/ofx-frame-protocol.md, for tests: listens on a Unix socket, publishes node.json and the
/// token in its own config folder (pass <see cref="Environment"/> to the host), checks the hello token, and records
/// every frame message.
/// </summary>
public sealed class FakeNode : IDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<int, NodeBehaviour> behaviour;
    private int frames;

    public FakeNode(Func<int, NodeBehaviour>? behaviour = null, string token = "test-token-123", string? acceptToken = null)
    {
        this.behaviour = behaviour ?? (_ => NodeBehaviour.Invert);
        ConfigHome = Directory.CreateTempSubdirectory("dflc-ofx-node-").FullName;
        string dir = Path.Combine(ConfigHome, "dflcomposite");
        Directory.CreateDirectory(dir);
        SocketPath = Path.Combine(dir, "frames.sock");
        AcceptToken = acceptToken ?? token;
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(16);
        File.WriteAllText(Path.Combine(dir, "node.json"), $"{{\"port\":47600,\"frameSocket\":\"{SocketPath}\",\"pid\":{System.Environment.ProcessId}}}");
        File.WriteAllText(Path.Combine(dir, "token"), token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(dir, "token"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _ = Task.Run(AcceptLoop);
    }

    public string ConfigHome { get; }

    public string SocketPath { get; }

    public string AcceptToken { get; }

    /// <summary>Every frame message received, as JSON text, in arrival order.</summary>
    public ConcurrentQueue<string> FrameMessages { get; } = new();

    public ConcurrentQueue<string> Hellos { get; } = new();

    public int Connections;

    /// <summary>The environment that points a host at this node.</summary>
    public Dictionary<string, string> Environment(double timeoutSeconds = 5) => new()
    {
        ["XDG_CONFIG_HOME"] = ConfigHome,
        ["DFLC_OFX_TIMEOUT"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public JsonElement[] Frames() => [.. FrameMessages.Select(m => JsonDocument.Parse(m).RootElement)];

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        try
        {
            Directory.Delete(ConfigHome, true);
        }
        catch (IOException)
        {
        }
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref Connections);
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            try
            {
                string? hello = await Receive(client);
                if (hello is null)
                {
                    return;
                }

                Hellos.Enqueue(hello);
                using (JsonDocument h = JsonDocument.Parse(hello))
                {
                    bool ok = h.RootElement.GetProperty("op").GetString() == "hello" && h.RootElement.GetProperty("token").GetString() == AcceptToken;
                    await Send(client, ok ? "{\"ok\":true}" : "{\"ok\":false,\"error\":\"bad token\"}");
                    if (!ok)
                    {
                        return;
                    }
                }

                while (await Receive(client) is { } message)
                {
                    int n = Interlocked.Increment(ref frames) - 1;
                    FrameMessages.Enqueue(message);
                    switch (behaviour(n))
                    {
                        case NodeBehaviour.Invert:
                            Invert(message);
                            await Send(client, "{\"ok\":true,\"faces\":1}");
                            break;
                        case NodeBehaviour.Error:
                            await Send(client, "{\"ok\":false,\"error\":\"no model in /nowhere: train one with dflc train -w /nowhere\"}");
                            break;
                        case NodeBehaviour.Hang:
                            await Task.Delay(Timeout.Infinite, stop.Token);
                            return;
                        case NodeBehaviour.Close:
                            return;
                        case NodeBehaviour.Die:
                            listener.Dispose();
                            File.Delete(SocketPath);
                            return;
                    }
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    private static void Invert(string message)
    {
        using JsonDocument doc = JsonDocument.Parse(message);
        JsonElement m = doc.RootElement;
        long size = m.GetProperty("height").GetInt64() * m.GetProperty("rowBytes").GetInt64();
        using var file = new FileStream(m.GetProperty("shm").GetString()!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        byte[] pixels = new byte[size];
        RandomAccess.Read(file.SafeFileHandle, pixels, m.GetProperty("inputOffset").GetInt64());
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)~pixels[i];
        }

        RandomAccess.Write(file.SafeFileHandle, pixels, m.GetProperty("outputOffset").GetInt64());
    }

    private static async Task<string?> Receive(Socket s)
    {
        byte[] header = new byte[4];
        if (!await ReceiveExactly(s, header))
        {
            return null;
        }

        byte[] body = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
        return await ReceiveExactly(s, body) ? Encoding.UTF8.GetString(body) : null;
    }

    private static async Task<bool> ReceiveExactly(Socket s, byte[] buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got));
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private static async Task Send(Socket s, string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        await s.SendAsync(header);
        await s.SendAsync(body);
    }
}
