using System.Composition;
using System.Composition.Hosting;
using System.Reflection;
using DFLComposite.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Plugins;

/// <summary>
/// Finds the engine's parts: every assembly under the plugin folders, each folder in its own
/// <see cref="PluginLoadContext"/>, composed with System.Composition (MEF). A plugin that fails to
/// load is logged and listed in <see cref="Failures"/>; it never stops the others.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    /// <summary>Extra plugin folders, separated like PATH.</summary>
    public const string PluginPathVariable = "DFLC_PLUGIN_PATH";

    private readonly ILogger _log;
    private readonly PluginContext _context;
    private readonly CompositionHost _container;
    private readonly List<PluginLoadFailure> _failures = [];
    private readonly List<PluginPart> _parts = [];

    private PluginCatalog(IEnumerable<string> folders, PluginContext context, IEnumerable<Assembly> hostAssemblies)
    {
        _context = context;
        _log = context.LoggerFactory.CreateLogger<PluginCatalog>();
        var assemblies = new List<Assembly>(hostAssemblies);
        foreach (string folder in folders.Distinct(StringComparer.Ordinal))
        {
            assemblies.AddRange(LoadFolder(folder));
        }

        _container = Compose(assemblies);
        IndexParts(assemblies);
    }

    public IReadOnlyList<PluginPart> Parts => _parts;

    public IReadOnlyList<PluginLoadFailure> Failures => _failures;

    /// <summary>
    /// The default folders: <c>plugins</c> next to the running host, then each entry of
    /// <c>DFLC_PLUGIN_PATH</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, "plugins") };
        string? extra = Environment.GetEnvironmentVariable(PluginPathVariable);
        if (!string.IsNullOrWhiteSpace(extra))
        {
            folders.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        return folders;
    }

    public static PluginCatalog Load(IEnumerable<string> folders, PluginContext context) =>
        new(folders, context, [typeof(PluginCatalog).Assembly]);

    public static PluginCatalog LoadDefault(string modelsDirectory, ILoggerFactory? loggerFactory = null) =>
        Load(DefaultFolders(), new PluginContext(modelsDirectory, loggerFactory ?? NullLoggerFactory.Instance));

    /// <summary>Every stage contract the abstractions define, with its family attribute.</summary>
    public static IReadOnlyList<(Type Contract, PluginFamilyAttribute Family)> Families { get; } =
        typeof(IPluginPart).Assembly.GetExportedTypes()
            .Concat(typeof(PluginCatalog).Assembly.GetExportedTypes()) // contracts that need TorchSharp live in the engine
            .Where(t => t.IsInterface)
            .Select(t => (Contract: t, Family: t.GetCustomAttribute<PluginFamilyAttribute>()))
            .Where(x => x.Family is not null)
            .Select(x => (x.Contract, x.Family!))
            .OrderBy(x => x.Item2.Stage, StringComparer.Ordinal)
            .ThenBy(x => x.Item2.Family, StringComparer.Ordinal)
            .ToArray();

    public IEnumerable<PluginPart> PartsOf<T>() where T : IPluginPart =>
        _parts.Where(p => p.Contract == typeof(T));

    /// <summary>Creates and initialises the part named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="PluginNotFoundException">No part of that family has that name.</exception>
    public T Create<T>(string name) where T : class, IPluginPart
    {
        foreach (ExportFactory<T, PluginMetadata> factory in _container.GetExports<ExportFactory<T, PluginMetadata>>())
        {
            if (string.Equals(factory.Metadata.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                T part = factory.CreateExport().Value;
                part.Initialize(_context);
                return part;
            }
        }

        string family = typeof(T).GetCustomAttribute<PluginFamilyAttribute>()?.Family ?? typeof(T).Name;
        string known = string.Join(", ", PartsOf<T>().Select(p => p.Metadata.Name));
        throw new PluginNotFoundException(
            $"No {family} named '{name}'. Available: {(known.Length == 0 ? "none (is the plugins folder next to dflc?)" : known)}. `dflc plugins` lists every part.");
    }

    public void Dispose() => _container.Dispose();

    private IEnumerable<Assembly> LoadFolder(string root)
    {
        if (!Directory.Exists(root))
        {
            _log.LogDebug("Plugin folder {Folder} does not exist; skipped", root);
            yield break;
        }

        // Each folder (the root and every sub-folder) is one plugin with its own load context.
        var folders = new List<string> { root };
        folders.AddRange(Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories));
        foreach (string folder in folders)
        {
            string[] dlls = Directory.GetFiles(folder, "*.dll");
            if (dlls.Length == 0)
            {
                continue;
            }

            // The resolver needs the plugin's main assembly: the one that carries a .deps.json.
            string main = dlls.FirstOrDefault(d => File.Exists(Path.ChangeExtension(d, ".deps.json"))) ?? dlls[0];
            var context = new PluginLoadContext(main);
            foreach (string dll in dlls.Order(StringComparer.Ordinal))
            {
                Assembly? assembly = TryLoad(context, dll);
                if (assembly is not null)
                {
                    yield return assembly;
                }
            }
        }
    }

    private Assembly? TryLoad(PluginLoadContext context, string dll)
    {
        try
        {
            AssemblyName name = AssemblyName.GetAssemblyName(dll);
            if (PluginLoadContext.IsShared(name))
            {
                return null; // a dependency the host provides; its copy here is never used
            }

            Assembly assembly = context.LoadFromAssemblyPath(dll);
            _ = assembly.GetTypes(); // surfaces missing dependencies now, not during composition
            return assembly;
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException)
        {
            string reason = ex is ReflectionTypeLoadException rtle
                ? string.Join("; ", rtle.LoaderExceptions.Select(e => e?.Message).Distinct())
                : ex.Message;
            _failures.Add(new PluginLoadFailure(dll, reason));
            _log.LogWarning("Skipped plugin assembly {Path}: {Reason}", dll, reason);
            return null;
        }
    }

    private CompositionHost Compose(List<Assembly> assemblies)
    {
        try
        {
            return new ContainerConfiguration().WithAssemblies(assemblies).CreateContainer();
        }
        catch (Exception ex) when (ex is CompositionFailedException or InvalidOperationException or ArgumentException)
        {
            // One bad part must not hide the others: keep the assemblies that compose on their own.
            var good = new List<Assembly>();
            foreach (Assembly assembly in assemblies)
            {
                try
                {
                    using CompositionHost probe = new ContainerConfiguration().WithAssemblies([.. good, assembly]).CreateContainer();
                    good.Add(assembly);
                }
                catch (Exception inner) when (inner is CompositionFailedException or InvalidOperationException or ArgumentException)
                {
                    _failures.Add(new PluginLoadFailure(assembly.Location, inner.Message));
                    _log.LogWarning("Skipped plugin assembly {Path}: {Reason}", assembly.Location, inner.Message);
                }
            }

            assemblies.RemoveAll(a => !good.Contains(a));
            return new ContainerConfiguration().WithAssemblies(good).CreateContainer();
        }
    }

    private void IndexParts(IEnumerable<Assembly> assemblies)
    {
        foreach (Assembly assembly in assemblies)
        {
            foreach (Type type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
            {
                foreach (PluginExportAttribute export in type.GetCustomAttributes<PluginExportAttribute>())
                {
                    PluginFamilyAttribute? family = export.ContractType?.GetCustomAttribute<PluginFamilyAttribute>();
                    if (export.ContractType is null || family is null)
                    {
                        continue;
                    }

                    _parts.Add(new PluginPart(
                        export.ContractType,
                        family.Stage,
                        family.Family,
                        new PluginMetadata { Name = export.Name, Version = export.Version, Description = export.Description },
                        type,
                        string.IsNullOrEmpty(assembly.Location) ? assembly.GetName().Name ?? "?" : assembly.Location));
                }
            }
        }
    }
}

/// <summary>A user asked for a part by a name no plugin exports.</summary>
public sealed class PluginNotFoundException(string message) : Exception(message);
