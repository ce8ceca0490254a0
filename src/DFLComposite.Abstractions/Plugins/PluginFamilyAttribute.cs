namespace DFLComposite.Plugins;

/// <summary>
/// Marks an interface as a stage contract (a MEF family) and gives the family's user-facing name
/// and pipeline stage, so the catalog can list parts "by stage" without a hard-coded table.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false)]
public sealed class PluginFamilyAttribute(string stage, string family) : Attribute
{
    /// <summary>Pipeline stage: extract, train, merge, evaluate.</summary>
    public string Stage { get; } = stage;

    /// <summary>Family name as users say it: detector, landmarker, color, blender ...</summary>
    public string Family { get; } = family;
}
