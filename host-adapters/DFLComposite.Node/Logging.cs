using Microsoft.Extensions.Logging;
using NLog.Config;
using NLog.Extensions.Logging;
using NLog.Targets;

namespace DFLComposite.Node;

/// <summary>NLog as the provider behind Microsoft.Extensions.Logging for the dflc process.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(bool verbose, string? logFile)
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
            var file = new FileTarget("file")
            {
                FileName = Path.GetFullPath(logFile),
                Layout = "${longdate} ${level:uppercase=true} ${logger:shortName=true}: ${message}${onexception:inner=${newline}${exception:format=ToString}}",
            };
            config.AddRule(NLog.LogLevel.Debug, NLog.LogLevel.Fatal, file);
        }

        NLog.LogManager.Configuration = config;
        return LoggerFactory.Create(b => b.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddNLog());
    }
}
