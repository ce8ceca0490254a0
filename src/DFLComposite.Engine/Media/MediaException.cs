namespace DFLComposite.Engine.Media;

/// <summary>
/// An input or output file that cannot be used as media. The message names the file and says what
/// to do; the CLI prints it without a stack trace.
/// </summary>
public sealed class MediaException(string message, Exception? inner = null) : Exception(message, inner);
