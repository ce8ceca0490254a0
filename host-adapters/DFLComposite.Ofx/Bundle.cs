using OpenFX.Net;

namespace DFLComposite.Ofx;

/// <summary>
/// Where this binary was loaded from, found with dladdr (in the C shim): AppContext.BaseDirectory means nothing in
/// a NativeAOT library loaded by a host. Read once; null parts when the loader cannot tell.
/// </summary>
public static class Bundle
{
    private static readonly Lazy<(string? Library, string? Root)> Location = new(Find);

    /// <summary>The loaded .ofx file, e.g. /usr/OFX/Plugins/DFLComposite.ofx.bundle/Contents/Linux-x86-64/DFLComposite.ofx.</summary>
    public static string? LibraryPath => Location.Value.Library;

    /// <summary>The DFLComposite.ofx.bundle folder, or null when the library is not inside a bundle.</summary>
    public static string? Root => Location.Value.Root;

    private static (string?, string?) Find()
    {
        try
        {
            string? library = ModuleLocation.LibraryPath();
            string? contents = Path.GetDirectoryName(Path.GetDirectoryName(library ?? ""));
            string? root = Path.GetDirectoryName(contents ?? "");
            bool inBundle = contents is not null && Path.GetFileName(contents) == "Contents" && root is not null && root.EndsWith(".ofx.bundle", StringComparison.Ordinal);
            return (library, inBundle ? root : null);
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
            return (null, null);
        }
    }
}
