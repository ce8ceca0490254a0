using System.Collections.Concurrent;
using System.Reflection;

namespace DFLComposite.Engine.Settings;

/// <summary>
/// The declared fields of a job spec type: its own <see cref="SettingAttribute"/> properties and those of the settings
/// records it holds under <see cref="SettingsGroupAttribute"/> properties, in declaration order. One list drives the
/// CLI flags, the JSON checks and the forms.
/// </summary>
public static class SettingsSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<SettingField>> Cache = new();

    public static IReadOnlyList<SettingField> For(Type spec) => Cache.GetOrAdd(spec, Build);

    public static IReadOnlyList<SettingField> For<T>() => For(typeof(T));

    /// <summary>Properties of <paramref name="type"/> that a JSON object may carry but that have no declaration (a test keeps this empty).</summary>
    public static IEnumerable<string> Undeclared(Type type) =>
        Readable(type).Where(p => p.GetCustomAttribute<SettingAttribute>() is null && p.GetCustomAttribute<SettingsGroupAttribute>() is null && p.CanWrite && !IsJobReference(p))
            .Select(p => $"{type.Name}.{p.Name}");

    internal static bool IsJobReference(PropertyInfo p) => typeof(Jobs.JobSpec).IsAssignableFrom(p.PropertyType);

    private static IReadOnlyList<SettingField> Build(Type spec)
    {
        object defaults = Activator.CreateInstance(spec) ?? throw new InvalidOperationException($"{spec.Name} needs a parameterless constructor");
        var fields = new List<SettingField>();
        foreach (PropertyInfo p in Readable(spec))
        {
            if (p.GetCustomAttribute<SettingAttribute>() is { } leaf)
            {
                fields.Add(new SettingField(null, null, p, leaf, p.GetValue(defaults)));
            }
            else if (p.GetCustomAttribute<SettingsGroupAttribute>() is { } group)
            {
                object inner = p.GetValue(defaults) ?? throw new InvalidOperationException($"{spec.Name}.{p.Name} must have a default instance");
                foreach (PropertyInfo q in Readable(p.PropertyType))
                {
                    if (q.GetCustomAttribute<SettingAttribute>() is { } d && !group.Exclude.Contains(JsonName(q)))
                    {
                        fields.Add(new SettingField(p, group, q, d, q.GetValue(inner)));
                    }
                }
            }
        }

        return fields;
    }

    /// <summary>The settings groups of a spec type (property and declaration).</summary>
    public static IEnumerable<(PropertyInfo Property, SettingsGroupAttribute Declaration)> Groups(Type spec) =>
        Readable(spec).Select(p => (p, p.GetCustomAttribute<SettingsGroupAttribute>())).Where(x => x.Item2 is not null).Select(x => (x.p, x.Item2!));

    // Public instance properties in declaration order, base classes first (MetadataToken order follows the source).
    private static IEnumerable<PropertyInfo> Readable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .OrderBy(p => -Depth(type, p.DeclaringType!)).ThenBy(p => p.MetadataToken);

    // How many steps up from type the declaring class is (0 = the type itself).
    private static int Depth(Type type, Type declaring)
    {
        int d = 0;
        for (Type? t = type; t is not null && t != declaring; t = t.BaseType)
        {
            d++;
        }

        return d;
    }

    public static string Camel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>A property's name in JSON: its <c>[JsonPropertyName]</c>, else camelCase.</summary>
    public static string JsonName(PropertyInfo p) =>
        p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? Camel(p.Name);
}
