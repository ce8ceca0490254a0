using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;

namespace DFLComposite.Ofx.Node;

/// <summary>
/// One connection to the node's frame socket (a Unix domain socket). Messages both ways are a 4-byte little-endian
/// length and that many bytes of UTF-8 JSON. The first exchange is {"op":"hello","token":...} → {"ok":true}.
/// Any failure throws <see cref="NodeException"/>; the caller then disposes the connection.
/// </summary>
public sealed class NodeConnection : IDisposable
{
    /// <summary>Largest reply accepted (a reply is a small JSON object).</summary>
    public const int MaxReply = 1 << 20;

    private readonly Socket socket;
    private readonly NodeConfig config;

    private NodeConnection(Socket socket, NodeConfig config)
    {
        this.socket = socket;
        this.config = config;
    }

    /// <summary>How many requests this connection has answered (a reused connection may find the node gone).</summary>
    public int Answered { get; private set; }

    /// <summary>Connects with the current node.json and token and says hello.</summary>
    public static NodeConnection Open(TimeSpan timeout)
    {
        NodeConfig config = NodeConfig.Read();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(config.FrameSocket));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new NodeException(NodeFault.Refused(config.FrameSocket, config.Pid, e.SocketErrorCode.ToString()));
        }

        var connection = new NodeConnection(socket, config);
        try
        {
            using JsonDocument reply = connection.Exchange(HelloMessage(config.Token), timeout, 0);
            if (!IsOk(reply.RootElement, out string error))
            {
                throw new NodeException(NodeFault.Rejected(error));
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message and waits (at most <paramref name="timeout"/>) for its answer.</summary>
    public JsonDocument Exchange(ReadOnlySpan<byte> message, TimeSpan timeout, double frame)
    {
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(header, message.Length);
            socket.SendTimeout = Milliseconds(deadline);
            socket.Send(header);
            socket.Send(message);
            ReceiveExactly(header, deadline);
            int length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length <= 0 || length > MaxReply)
            {
                throw new NodeException(NodeFault.Protocol($"reply length {length}"));
            }

            byte[] body = new byte[length];
            ReceiveExactly(body, deadline);
            JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new NodeException(NodeFault.Protocol("reply is not a JSON object"));
            }

            Answered++;
            return doc;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            throw new NodeException(NodeFault.Timeout(frame, timeout.TotalSeconds));
        }
        catch (SocketException e)
        {
            throw new NodeException(NodeFault.Closed(frame, e.SocketErrorCode.ToString()));
        }
        catch (ObjectDisposedException)
        {
            throw new NodeException(NodeFault.Closed(frame, "socket closed"));
        }
        catch (JsonException e)
        {
            throw new NodeException(NodeFault.Protocol("reply is not JSON: " + e.Message));
        }
    }

    public static bool IsOk(JsonElement reply, out string error)
    {
        bool ok = reply.TryGetProperty("ok", out JsonElement o) && o.ValueKind == JsonValueKind.True;
        error = ok ? "" : reply.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "no reason given";
        return ok;
    }

    public void Dispose() => socket.Dispose();

    public override string ToString() => $"node {config.FrameSocket} (pid {config.Pid})";

    private static byte[] HelloMessage(string token)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("op", "hello");
            w.WriteString("token", token);
            w.WriteString("client", "ofx");
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteString("bundle", Bundle.LibraryPath ?? "");
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void ReceiveExactly(Span<byte> buffer, DateTime deadline)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            socket.ReceiveTimeout = Milliseconds(deadline);
            int n = socket.Receive(buffer[got..]);
            if (n == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            got += n;
        }
    }

    private static int Milliseconds(DateTime deadline)
    {
        double ms = (deadline - DateTime.UtcNow).TotalMilliseconds;
        if (ms <= 0)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }

        return (int)Math.Clamp(Math.Ceiling(ms), 1, int.MaxValue);
    }
}
