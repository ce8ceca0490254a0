namespace DFLComposite.Engine;

/// <summary>
/// The user asked for something that cannot be done as asked (an output folder that already holds a faceset,
/// settings that contradict an interrupted run ...). The message says what to do; exit code 2.
/// </summary>
public sealed class UserErrorException(string message) : Exception(message);

/// <summary>No face was found where one is needed. Exit code 5.</summary>
public sealed class NoFaceException(string message) : Exception(message);

/// <summary>
/// An input exists but is not what the job needs: a damaged or truncated model, an empty workspace, the wrong kind of
/// model, a damaged face file. The message names the file and what to do; exit code 3.
/// </summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An output could not be written (disk full, read-only, permission); the message names the path. Exit code 6.</summary>
public sealed class OutputWriteException(string message, Exception? inner = null) : Exception(message, inner);
