using System.Reflection;
using System.Runtime.Loader;

namespace DFLComposite.Engine.Plugins;

/// <summary>
/// One load context per plugin folder. A plugin brings its own dependencies (resolved through its
/// .deps.json by <see cref="AssemblyDependencyResolver"/>), but the contract assemblies — and every
/// assembly the host itself ships, such as TorchSharp and OpenCvSharp — come from the host, so that
/// types cross the boundary (an <c>IFaceDetector</c> from a plugin is the host's <c>IFaceDetector</c>)
/// and native libraries like libtorch are loaded once.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    // Always the host's copy, even if a plugin carelessly ships its own.
    private static readonly string[] ContractPrefixes =
    [
        "DFLComposite.Abstractions",
        "System.Composition",
        "Microsoft.Extensions.Logging.Abstractions",
    ];

    private static readonly Lazy<HashSet<string>> HostAssemblies = new(ReadHostAssemblies);

    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string mainAssemblyPath)
        : base(name: Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    public static bool IsShared(AssemblyName name)
    {
        string simple = name.Name ?? "";
        foreach (string prefix in ContractPrefixes)
        {
            if (simple.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return HostAssemblies.Value.Contains(simple);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null; // fall back to the default context: the host's copy
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    // The host's trusted platform assemblies: the framework plus everything in the host's deps.json.
    private static HashSet<string> ReadHostAssemblies()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (string file in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                set.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return set;
    }
}
