namespace DFLComposite.Plugins;

/// <summary>The metadata view MEF fills from <see cref="PluginExportAttribute"/>.</summary>
public sealed class PluginMetadata
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Description { get; set; } = "";
}
