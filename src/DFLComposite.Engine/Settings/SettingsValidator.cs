using System.Globalization;

namespace DFLComposite.Engine.Settings;

/// <summary>
/// Checks a job spec (or a settings record) against its declarations: numbers finite and in range, words among their
/// choices, required fields present; then each record's own <see cref="ISettingsRules"/>. Every error names its field.
/// </summary>
public static class SettingsValidator
{
    public static IReadOnlyList<FieldError> Check(object spec)
    {
        var errors = new List<FieldError>();
        foreach (SettingField f in SettingsSchema.For(spec.GetType()))
        {
            if (Check(f, f.Get(spec)) is { } message)
            {
                errors.Add(new FieldError(f.JsonPath, message));
            }
        }

        if (spec is ISettingsRules own)
        {
            errors.AddRange(own.Check());
        }

        foreach ((System.Reflection.PropertyInfo p, _) in SettingsSchema.Groups(spec.GetType()))
        {
            if (p.GetValue(spec) is ISettingsRules rules)
            {
                errors.AddRange(rules.Check().Select(e => e.Under(SettingsSchema.JsonName(p))));
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="JobValidationException"/> when <paramref name="spec"/> has errors.</summary>
    public static void Validate(object spec) => JobValidationException.ThrowIf(Check(spec));

    /// <summary>The problem with one value of a field, or null when it is allowed.</summary>
    public static string? Check(SettingField f, object? value)
    {
        SettingAttribute d = f.Declaration;
        switch (value)
        {
            case null:
                return d.Required ? "is required" : null;
            case string s when d.Required && s.Length == 0:
                return "is required";
            case string[] or IReadOnlyList<string> when d.Required && ((IReadOnlyCollection<string>)value).Count == 0:
                return "is required (at least one)";
            case string s when d.Choices is { } choices && d.Plugin is null && !choices.Contains(s, StringComparer.Ordinal):
                return $"'{s}' is not allowed; use {string.Join(", ", choices)}";
            case double or float or int or long:
                double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(v))
                {
                    return $"{Format(value)} is not a number; allowed {f.Allowed}";
                }

                if (d.HasRange && (v < d.Min || v > d.Max))
                {
                    return $"{Format(value)} is out of range; allowed {f.Allowed}";
                }

                return null;
            default:
                return null;
        }
    }

    public static string Format(object? value) => value switch
    {
        null => "null",
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        float x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
