using Microsoft.Extensions.Logging;
using NLog.Config;
using NLog.Extensions.Logging;
using NLog.Targets;

namespace DFLComposite.Node;

/// <summary>
/// NLog as the provider behind Microsoft.Extensions.Logging. Each configuration lives in its own NLog
/// <see cref="NLog.LogFactory"/>, never in NLog's process-wide <c>LogManager</c>, so two jobs in one process (the
/// service) keep their own logs.
/// </summary>
internal static class Logging
{
    /// <summary>stderr (warnings, or debug with <paramref name="verbose"/>) and, when given, a full log file.</summary>
    public static NLog.LogFactory Configure(bool verbose, string? logFile)
    {
        var config = new LoggingConfiguration();
        // Logs go to stderr so stdout stays machine-readable (progress lines, tables, JSON).
        var console = new ConsoleTarget("stderr")
        {
            StdErr = true,
            Layout = "${level:uppercase=true}: ${message}${onexception:inner= (${exception:format=Message})}",
        };
        config.AddRule(verbose ? NLog.LogLevel.Debug : NLog.LogLevel.Warn, NLog.LogLevel.Fatal, console);
        if (!string.IsNullOrWhiteSpace(logFile))
        {
            config.AddRule(NLog.LogLevel.Debug, NLog.LogLevel.Fatal, FileTarget(logFile));
        }

        return new NLog.LogFactory { Configuration = config };
    }

    /// <summary>A file target with full messages and stack traces.</summary>
    public static FileTarget FileTarget(string path) => new("file")
    {
        FileName = Path.GetFullPath(path),
        Layout = "${longdate} ${level:uppercase=true} ${logger:shortName=true}: ${message}${onexception:inner=${newline}${exception:format=ToString}}",
    };

    /// <summary>Microsoft.Extensions.Logging over <paramref name="factory"/>.</summary>
    public static ILoggerFactory Over(NLog.LogFactory factory) =>
        LoggerFactory.Create(b => b.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new NLogLoggerProvider(new NLogProviderOptions(), factory)));
}
