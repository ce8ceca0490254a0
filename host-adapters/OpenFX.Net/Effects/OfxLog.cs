namespace OpenFX.Net;

/// <summary>
/// Diagnostics for failures that become statuses at the ABI edge. Silent unless the environment variable
/// OPENFX_NET_LOG names a file to append to (or is "stderr"). Never throws.
/// </summary>
public static class OfxLog
{
    private static readonly Lock Gate = new();
    private static readonly string? Target = Environment.GetEnvironmentVariable("OPENFX_NET_LOG");

    public static bool Enabled => !string.IsNullOrEmpty(Target);

    public static void Write(Exception e) => Write(e.ToString());

    public static void Write(string message)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            string line = $"{DateTime.UtcNow:O} [{Environment.ProcessId}] {message}{Environment.NewLine}";
            lock (Gate)
            {
                if (Target == "stderr")
                {
                    Console.Error.Write(line);
                }
                else
                {
                    File.AppendAllText(Target!, line);
                }
            }
        }
        catch (Exception)
        {
            // Diagnostics must never take the host down.
        }
    }
}
