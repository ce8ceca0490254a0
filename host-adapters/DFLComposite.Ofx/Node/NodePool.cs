using System.Collections.Concurrent;
using System.Text.Json;

namespace DFLComposite.Ofx.Node;

/// <summary>The outcome of one frame: processed (with the number of faces the node found) or a fault.</summary>
public readonly record struct NodeResult(bool Ok, int Faces, NodeFault? Fault);

/// <summary>
/// The process-wide client side of the node: idle connections and shared-memory buffers that outlive effect
/// instances (MLT creates one instance per frame and never unloads). Each render rents a connection and a buffer
/// and gives them back; a connection that failed is dropped, so the next frame reconnects (reading node.json again).
/// Nothing here throws to the caller: every failure is a <see cref="NodeFault"/>.
/// </summary>
public sealed unsafe class NodePool
{
    private const int MaxIdleConnections = 4;
    private const int MaxIdleFrames = 2;

    private readonly ConcurrentBag<NodeConnection> idle = [];
    private readonly ConcurrentBag<SharedFrame> frames = [];
    private int staleRemoved;
    private int reloadRequested;

    public static NodePool Shared { get; } = new();

    /// <summary>The next frame sent asks the node to load its model files again ("reload": true).</summary>
    public void RequestReload() => Volatile.Write(ref reloadRequested, 1);

    /// <summary>
    /// Sends the frame in <paramref name="source"/> to the node and, when it answers ok, hands the node's output
    /// (same bounds, depth and components, packed top-down) to <paramref name="useOutput"/>.
    /// </summary>
    public NodeResult Render(FrameRequest request, PixelRegion source, Action<PixelRegion> useOutput)
    {
        NodeConnection? connection = null;
        SharedFrame? frame = null;
        try
        {
            if (Interlocked.Exchange(ref staleRemoved, 1) == 0)
            {
                SharedFrame.RemoveStale();
            }

            TimeSpan timeout = NodeConfig.FrameTimeout();
            connection = Rent(timeout);
            long bytes = PixelRegion.PackedSize(source.Bounds, source.BytesPerPixel);
            frame = RentFrame(2 * bytes);
            PixelRegion.Copy(source, PixelRegion.Packed(frame.Pointer, source.Bounds, source.BytesPerPixel), source.Bounds);
            bool reload = Interlocked.Exchange(ref reloadRequested, 0) == 1;
            byte[] message = request.ToJson(frame.Path, bytes, (long)source.Bounds.Width * source.BytesPerPixel, reload);

            JsonDocument reply;
            try
            {
                reply = connection.Exchange(message, timeout, request.Frame);
            }
            catch (NodeException e) when (connection.Answered > 0 && e.Fault.Kind == NodeFaultKind.Closed)
            {
                // A pooled connection whose node went away since its last frame: one fresh try.
                connection.Dispose();
                connection = null;
                connection = NodeConnection.Open(timeout);
                reply = connection.Exchange(message, timeout, request.Frame);
            }

            using (reply)
            {
                if (!NodeConnection.IsOk(reply.RootElement, out string error))
                {
                    if (reload)
                    {
                        RequestReload();
                    }

                    return new NodeResult(false, 0, NodeFault.Error(request.Frame, error));
                }

                int faces = reply.RootElement.TryGetProperty("faces", out JsonElement f) && f.TryGetInt32(out int n) ? n : 0;
                useOutput(PixelRegion.Packed(frame.Pointer + bytes, source.Bounds, source.BytesPerPixel));
                return new NodeResult(true, faces, null);
            }
        }
        catch (NodeException e)
        {
            connection?.Dispose();
            connection = null;
            return new NodeResult(false, 0, e.Fault);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            connection = null;
            return new NodeResult(false, 0, NodeFault.SharedMemory(e.Message));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OpenFX.Net.OfxException))
        {
            // Anything else (a socket path too long for sockaddr_un, a bug): still a fault the user can read.
            OpenFX.Net.OfxLog.Write(e);
            connection?.Dispose();
            connection = null;
            return new NodeResult(false, 0, NodeFault.Unexpected(e.GetType().Name + ": " + e.Message));
        }
        finally
        {
            if (connection is not null)
            {
                Return(connection);
            }

            if (frame is not null)
            {
                ReturnFrame(frame);
            }
        }
    }

    private NodeConnection Rent(TimeSpan timeout) => idle.TryTake(out NodeConnection? c) ? c : NodeConnection.Open(timeout);

    private void Return(NodeConnection connection)
    {
        if (idle.Count < MaxIdleConnections)
        {
            idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    private SharedFrame RentFrame(long capacity)
    {
        var skipped = new List<SharedFrame>();
        try
        {
            while (frames.TryTake(out SharedFrame? f))
            {
                if (f.Capacity >= capacity && f.Capacity <= 2 * capacity)
                {
                    return f;
                }

                skipped.Add(f);
            }

            return SharedFrame.Create(capacity);
        }
        finally
        {
            foreach (SharedFrame f in skipped)
            {
                ReturnFrame(f);
            }
        }
    }

    private void ReturnFrame(SharedFrame frame)
    {
        if (frames.Count < MaxIdleFrames)
        {
            frames.Add(frame);
        }
        else
        {
            frame.Dispose();
        }
    }
}
