using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;

namespace DFLComposite.Tests;

/// <summary>The built-in plugins, loaded through the catalog from the test's own plugins folder.</summary>
internal static class BuiltInPlugins
{
    private static readonly Lazy<PluginCatalog> Shared = new(() =>
    {
        var catalog = PluginCatalog.LoadDefault(ModelManifest.DefaultDirectory());
        Assert.True(catalog.Failures.Count == 0, string.Join("\n", catalog.Failures));
        return catalog;
    });

    public static PluginCatalog Catalog => Shared.Value;
}
