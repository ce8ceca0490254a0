namespace DFLComposite.Engine;

/// <summary>
/// The user asked for something that cannot be done as asked (an output folder that already holds a faceset,
/// settings that contradict an interrupted run ...). The message says what to do; the CLI exits with 2.
/// </summary>
public sealed class UserErrorException(string message) : Exception(message);

/// <summary>No face was found where one is needed. The CLI exits with 5.</summary>
public sealed class NoFaceException(string message) : Exception(message);
