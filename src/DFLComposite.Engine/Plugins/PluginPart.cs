using DFLComposite.Plugins;

namespace DFLComposite.Engine.Plugins;

/// <summary>A discovered part: its family, metadata and where it came from.</summary>
public sealed record PluginPart(
    Type Contract,
    string Stage,
    string Family,
    PluginMetadata Metadata,
    Type Implementation,
    string SourceAssembly);

/// <summary>A plugin assembly that could not be loaded, and why. Reported, never fatal.</summary>
public sealed record PluginLoadFailure(string Path, string Reason);
