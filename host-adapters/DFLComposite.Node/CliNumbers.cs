using System.CommandLine;
using System.Globalization;

namespace DFLComposite.Node;

/// <summary>
/// Numeric options of the commands that are not job kinds (faceset tools, bench), with a range checked at parse:
/// NaN, infinities and values out of range are usage errors (exit 2) that name the flag and the allowed range, and
/// never a .NET type name.
/// </summary>
internal static class CliNumbers
{
    public static Option<int> Int(string name, string description, int min, int max, int defaultValue)
    {
        var option = new Option<int>(name)
        {
            Description = FormattableString.Invariant($"{description} [{min}..{max}; default {defaultValue}]"),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
                {
                    result.AddError(FormattableString.Invariant($"{name}: '{text}' is not allowed; use a whole number {min}..{max}."));
                    return defaultValue;
                }

                return v;
            },
        };
        return option;
    }

    public static Option<double> Double(string name, string description, double min, double max, double defaultValue)
    {
        var option = new Option<double>(name)
        {
            Description = FormattableString.Invariant($"{description} [{min}..{max}; default {defaultValue}]"),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < min || v > max)
                {
                    result.AddError(FormattableString.Invariant($"{name}: '{text}' is not allowed; use a number {min}..{max}."));
                    return defaultValue;
                }

                return v;
            },
        };
        return option;
    }
}
