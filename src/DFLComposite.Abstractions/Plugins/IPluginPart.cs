using Microsoft.Extensions.Logging;

namespace DFLComposite.Plugins;

/// <summary>
/// What the host hands every part when it creates one: where the model files are and a logger.
/// Parts receive it through <see cref="IPluginPart.Initialize"/> because MEF constructs them.
/// </summary>
public sealed record PluginContext(string ModelsDirectory, ILoggerFactory LoggerFactory);

/// <summary>Every stage contract derives from this, so the host can initialise any part the same way.</summary>
public interface IPluginPart
{
    /// <summary>Called once after construction, before any other member. Must be idempotent.</summary>
    void Initialize(PluginContext context);
}
