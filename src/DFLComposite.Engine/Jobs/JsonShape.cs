using System.Text.Json;
using DFLComposite.Engine.Settings;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// Checks a JSON document against a job kind's declared fields before it is deserialised: unknown fields, wrong types
/// and nulls where a value is needed become <see cref="FieldError"/>s with the JSON path and what is allowed.
/// </summary>
internal static class JsonShape
{
    public static void CheckObject(JsonElement obj, Type spec, string path, List<FieldError> errors)
    {
        IReadOnlyList<SettingField> fields = SettingsSchema.For(spec);
        var leaves = fields.Where(f => f.Group is null).ToDictionary(f => f.Name);
        var groups = SettingsSchema.Groups(spec).ToDictionary(g => SettingsSchema.JsonName(g.Property));
        var jobs = spec.GetProperties().Where(SettingsSchema.IsJobReference).Select(p => SettingsSchema.JsonName(p)).ToHashSet();
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            string at = Join(path, p.Name);
            if (p.Name == "kind")
            {
                continue; // checked by the caller, which chose the type from it
            }

            if (leaves.TryGetValue(p.Name, out SettingField? f))
            {
                CheckValue(p.Value, f, at, errors);
            }
            else if (groups.TryGetValue(p.Name, out var g))
            {
                CheckRecord(p.Value, g.Property.PropertyType, g.Declaration.Exclude, at, errors);
            }
            else if (jobs.Contains(p.Name))
            {
                if (p.Value.ValueKind != JsonValueKind.Null && JobJson.KindOf(p.Value, at, errors) is { } inner)
                {
                    CheckObject(p.Value, inner, at, errors);
                }
            }
            else
            {
                errors.Add(new FieldError(at, $"unknown field; {JobKinds.NameOf(spec)} jobs have {string.Join(", ", leaves.Keys.Concat(groups.Keys).Concat(jobs).Prepend("kind"))}"));
            }
        }
    }

    public static void CheckRecord(JsonElement obj, Type record, string[] exclude, string path, List<FieldError> errors)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object of settings"));
            return;
        }

        var fields = SettingsSchema.For(record).Where(f => f.Group is null && !exclude.Contains(f.Name)).ToDictionary(f => f.Name);
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            string at = Join(path, p.Name);
            if (fields.TryGetValue(p.Name, out SettingField? f))
            {
                CheckValue(p.Value, f, at, errors);
            }
            else
            {
                errors.Add(new FieldError(at, $"unknown field; allowed here: {string.Join(", ", fields.Keys)}"));
            }
        }
    }

    private static void CheckValue(JsonElement v, SettingField f, string at, List<FieldError> errors)
    {
        string? problem = v.ValueKind == JsonValueKind.Null
            ? (Nullable.GetUnderlyingType(f.Type) is not null || !f.Type.IsValueType) && !f.Declaration.Required ? null : $"must not be null; allowed {f.Allowed}"
            : Problem(v, f);
        if (problem is not null)
        {
            errors.Add(new FieldError(at, problem));
        }
    }

    private static string? Problem(JsonElement v, SettingField f)
    {
        Type t = f.ValueType;
        if (f.IsList)
        {
            return v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) ? null : "must be a list of strings";
        }

        if (t == typeof(bool))
        {
            return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
        }

        if (t == typeof(int) || t == typeof(long))
        {
            bool ok = v.ValueKind == JsonValueKind.Number && (t == typeof(int) ? v.TryGetInt32(out _) : v.TryGetInt64(out _));
            return ok ? null : $"must be a whole number; allowed {f.Allowed}";
        }

        if (t == typeof(double) || t == typeof(float))
        {
            return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) && (t == typeof(double) || float.IsFinite((float)d))
                ? null : $"must be a number; allowed {f.Allowed}";
        }

        if (t == typeof(FaceType))
        {
            if (v.ValueKind == JsonValueKind.String)
            {
                try
                {
                    FaceTypes.Parse(v.GetString()!);
                    return null;
                }
                catch (FormatException)
                {
                    // reported below
                }
            }

            return $"must be a face type: {f.Allowed}";
        }

        return v.ValueKind == JsonValueKind.String ? null : $"must be a string; allowed {f.Allowed}";
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
