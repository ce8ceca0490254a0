using System.Composition;

namespace DFLComposite.Plugins;

/// <summary>
/// Exports a part under one stage contract with the metadata users see and type:
/// <c>[PluginExport(typeof(IFaceDetector), "blazeface", "1.0", "MediaPipe BlazeFace")]</c>.
/// The name is what goes after <c>--detector</c>, <c>--color</c>, <c>--model</c>.
/// </summary>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PluginExportAttribute : ExportAttribute
{
    public PluginExportAttribute(Type contractType, string name, string version, string description)
        : base(contractType)
    {
        Name = name;
        Version = version;
        Description = description;
    }

    public string Name { get; }
    public string Version { get; }
    public string Description { get; }
}
