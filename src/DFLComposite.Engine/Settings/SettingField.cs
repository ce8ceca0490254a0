using System.Reflection;
using System.Text.Json;

namespace DFLComposite.Engine.Settings;

/// <summary>
/// One field of a job spec as every adapter sees it: its JSON path, its flag, its declaration and how to read or set it
/// on a spec instance (through the nested settings record it lives in).
/// </summary>
public sealed class SettingField
{
    internal SettingField(PropertyInfo? group, SettingsGroupAttribute? groupDeclaration, PropertyInfo property, SettingAttribute declaration, object? defaultValue)
    {
        Group = group;
        GroupDeclaration = groupDeclaration;
        Property = property;
        Declaration = declaration;
        Default = defaultValue;
        Name = SettingsSchema.JsonName(property);
        JsonPath = group is null ? Name : SettingsSchema.JsonName(group) + "." + Name;
        Flag = declaration.Flag ?? "--" + (groupDeclaration?.FlagPrefix ?? "") + Kebab(property.Name);
    }

    /// <summary>The nested settings property holding this field (null for a field of the job itself).</summary>
    public PropertyInfo? Group { get; }

    public SettingsGroupAttribute? GroupDeclaration { get; }

    public PropertyInfo Property { get; }

    public SettingAttribute Declaration { get; }

    /// <summary>JSON name within its record (<c>erodeMask</c>).</summary>
    public string Name { get; }

    /// <summary>Dotted path from the job's root (<c>settings.erodeMask</c>).</summary>
    public string JsonPath { get; }

    public string Flag { get; }

    /// <summary>The value a new job has.</summary>
    public object? Default { get; }

    public Type Type => Property.PropertyType;

    /// <summary>The type without Nullable.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;

    public bool IsList => Type == typeof(string[]) || Type == typeof(IReadOnlyList<string>);

    public bool IsNumber => ValueType == typeof(int) || ValueType == typeof(long) || ValueType == typeof(double) || ValueType == typeof(float);

    public bool IsInteger => ValueType == typeof(int) || ValueType == typeof(long);

    public object? Get(object spec)
    {
        object? owner = Group is null ? spec : Group.GetValue(spec);
        return owner is null ? null : Property.GetValue(owner);
    }

    /// <summary>Sets the field on a spec built for binding (records are immutable once handed out; this runs before).</summary>
    public void Set(object spec, object? value)
    {
        object owner = Group is null ? spec : Group.GetValue(spec) ?? throw new InvalidOperationException($"{Group.Name} is null");
        Property.SetValue(owner, value);
    }

    /// <summary>"int -400..400", "one of overlay, seamless ...", "a colour transfer plugin" ... for help and forms.</summary>
    public string Allowed
    {
        get
        {
            SettingAttribute d = Declaration;
            if (d.HasRange)
            {
                return FormattableString.Invariant($"{d.Min:G}..{d.Max:G}");
            }

            if (d.Choices is { } c)
            {
                return string.Join(" | ", c);
            }

            if (d.Plugin is { } p)
            {
                return $"the name of a {PluginFamilyName(p)} plugin (see `dflc plugins`)";
            }

            return d.Format ?? (d.Path != PathRole.None ? "a path" : ValueType == typeof(bool) ? "true | false" : "text");
        }
    }

    public override string ToString() => JsonPath;

    internal static string PluginFamilyName(Type contract) =>
        contract.GetCustomAttribute<DFLComposite.Plugins.PluginFamilyAttribute>() is { } f ? $"{f.Stage} {f.Family}" : contract.Name;

    internal static string Kebab(string name)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char ch = name[i];
            if (char.IsUpper(ch) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }
}
