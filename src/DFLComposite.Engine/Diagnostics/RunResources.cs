using System.Diagnostics;

namespace DFLComposite.Engine.Diagnostics;

/// <summary>What a measured run cost besides time: garbage collections by generation and the peak resident memory.</summary>
public sealed record RunResources(int Gen0, int Gen1, int Gen2, long PeakBytes)
{
    public override string ToString() =>
        FormattableString.Invariant($"GC {Gen0}/{Gen1}/{Gen2} (gen0/1/2), peak RSS {PeakBytes / (1024.0 * 1024):F0} MiB");

    /// <summary>Starts counting; the peak is reset first where the OS allows it, so it is this run's peak.</summary>
    public static Meter Start() => new();

    public sealed class Meter
    {
        private readonly int _g0 = GC.CollectionCount(0), _g1 = GC.CollectionCount(1), _g2 = GC.CollectionCount(2);

        internal Meter()
        {
            try
            {
                // Linux: "5" resets VmHWM (the peak resident set) to the current size
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // elsewhere the peak is the process's since start
            }
        }

        public RunResources Stop() =>
            new(GC.CollectionCount(0) - _g0, GC.CollectionCount(1) - _g1, GC.CollectionCount(2) - _g2, PeakResident());

        private static long PeakResident()
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // fall through
            }

            using var self = Process.GetCurrentProcess();
            return self.PeakWorkingSet64;
        }
    }
}
