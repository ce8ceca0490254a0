namespace DFLComposite.Ofx.Node;

/// <summary>What went wrong, for callers that react differently (a reused connection found closed is retried once).</summary>
public enum NodeFaultKind
{
    Missing,
    Config,
    Token,
    Refused,
    Rejected,
    Timeout,
    Closed,
    Error,
    Protocol,
    SharedMemory,
    Unexpected,
}

/// <summary>Why a frame could not be processed, and what the user can do; shown on the effect as one message.</summary>
public sealed record NodeFault(NodeFaultKind Kind, string Cause, string Fix)
{
    public string Message => $"DFLComposite: {Cause}. {Fix} Frames pass through unchanged until then.";

    public static NodeFault Missing(string nodeJson) =>
        new(NodeFaultKind.Missing, $"the node is not running (no {nodeJson})", "Start it with `dflc serve`; it writes that file.");

    public static NodeFault BadConfig(string nodeJson, string detail) =>
        new(NodeFaultKind.Config, $"{nodeJson} is not usable ({detail})", "Restart `dflc serve` so it writes the file again.");

    public static NodeFault NoToken(string tokenPath) =>
        new(NodeFaultKind.Token, $"the node's token file {tokenPath} is missing or unreadable", "Restart `dflc serve` (it writes the token), as the same user as the host application.");

    public static NodeFault Refused(string socket, int pid, string detail) =>
        new(NodeFaultKind.Refused, $"the node at {socket} (pid {pid}) does not accept connections ({detail})", "Check that `dflc serve` is still running, or start it again.");

    public static NodeFault Rejected(string error) =>
        new(NodeFaultKind.Rejected, $"the node refused the connection: {error}", "Restart `dflc serve`; the token file may belong to another node.");

    public static NodeFault Timeout(double frame, double seconds) =>
        new(NodeFaultKind.Timeout, $"the node did not answer frame {frame} within {seconds:0.#} s (busy loading a model or rendering elsewhere?)",
            "Wait for it, or raise DFLC_OFX_TIMEOUT (seconds) in the host's environment.");

    public static NodeFault Closed(double frame, string detail) =>
        new(NodeFaultKind.Closed, $"the node closed the connection during frame {frame} ({detail}); it may have exited or crashed",
            "Check `dflc serve`'s log and start it again.");

    public static NodeFault Error(double frame, string error) =>
        new(NodeFaultKind.Error, $"the node could not process frame {frame}: {error}", "");

    public static NodeFault Protocol(string detail) =>
        new(NodeFaultKind.Protocol, $"the node's answer was not understood ({detail})", "Use the same DFLComposite version for the node and the OFX bundle.");

    public static NodeFault Unexpected(string detail) =>
        new(NodeFaultKind.Unexpected, $"talking to the node failed ({detail})", "Set OPENFX_NET_LOG=/tmp/dflc-ofx.log in the host's environment and report the log.");

    public static NodeFault SharedMemory(string detail) =>
        new(NodeFaultKind.SharedMemory, $"no shared memory for the frame ({detail})", "Check free space in /dev/shm.");
}

/// <summary>A failure while talking to the node; the connection it happened on is not reused.</summary>
public sealed class NodeException : Exception
{
    public NodeException(NodeFault fault) : base(fault.Message) => Fault = fault;

    public NodeException() : this(NodeFault.Protocol("unknown"))
    {
    }

    public NodeException(string message) : this(NodeFault.Protocol(message))
    {
    }

    public NodeException(string message, Exception innerException) : base(message, innerException) => Fault = NodeFault.Protocol(message);

    public NodeFault Fault { get; }
}
