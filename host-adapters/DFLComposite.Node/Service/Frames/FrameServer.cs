using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DFLComposite.Node.Service.Frames;

/// <summary>
/// The node side of the OpenFX plug-in's frame protocol (docs/ofx-frame-protocol.md): a Unix domain socket in a folder
/// only the user can enter; each connection says hello with the token, then asks for frames one at a time, the pixels
/// in a shared-memory file. Every request is answered, errors included, in one sentence naming the cause and the fix;
/// nothing a host sends can stop the node.
/// </summary>
internal sealed class FrameServer : IAsyncDisposable
{
    private const int MaxMessage = 1 << 20;
    private readonly Socket _listener;
    private readonly NodeToken _token;
    private readonly FrameSessions _sessions;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public FrameServer(string socketPath, NodeToken token, FrameSessions sessions, ILogger log)
    {
        (_token, _sessions, _log) = (token, sessions, log);
        SocketPath = socketPath;
        NodePaths.PrivateFolder(Path.GetDirectoryName(socketPath)!);
        File.Delete(socketPath); // a socket left by a node that died
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(64);
        _accept = Task.Run(AcceptAsync);
    }

    public string SocketPath { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            try
            {
                JsonNode? hello = await ReadAsync(stream).ConfigureAwait(false);
                if ((string?)hello?["op"] != "hello" || !_token.Matches((string?)hello["token"]))
                {
                    await WriteAsync(stream, new JsonObject { ["ok"] = false, ["error"] = $"wrong or missing token; the plug-in reads it from {_token.File}: run the host as the user who runs `dflc serve`" }).ConfigureAwait(false);
                    return;
                }

                await WriteAsync(stream, new JsonObject { ["ok"] = true }).ConfigureAwait(false);
                while (await ReadAsync(stream).ConfigureAwait(false) is { } request)
                {
                    JsonObject reply = (string?)request["op"] == "frame"
                        ? await Task.Run(() => _sessions.Handle(request)).ConfigureAwait(false)
                        : new JsonObject { ["ok"] = false, ["error"] = $"unknown request '{request["op"]}'; use the same version for the node and the plug-in" };
                    await WriteAsync(stream, reply).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or JsonException or InvalidDataException or OperationCanceledException)
            {
                _log.LogDebug("frame connection ended: {Message}", ex.Message);
            }
        }
    }

    private async Task<JsonNode?> ReadAsync(Stream stream)
    {
        byte[] head = new byte[4];
        if (!await ReadExactlyAsync(stream, head).ConfigureAwait(false))
        {
            return null;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(head);
        if (length is <= 0 or > MaxMessage)
        {
            throw new InvalidDataException($"a message of {length} bytes");
        }

        byte[] body = new byte[length];
        if (!await ReadExactlyAsync(stream, body).ConfigureAwait(false))
        {
            return null;
        }

        return JsonNode.Parse(body);
    }

    private async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), _stop.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task WriteAsync(Stream stream, JsonObject message)
    {
        byte[] body = Encoding.UTF8.GetBytes(message.ToJsonString());
        byte[] head = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(head, body.Length);
        await stream.WriteAsync(head, _stop.Token).ConfigureAwait(false);
        await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accept.ConfigureAwait(false);
        File.Delete(SocketPath);
        _sessions.Dispose();
        _stop.Dispose();
    }
}
