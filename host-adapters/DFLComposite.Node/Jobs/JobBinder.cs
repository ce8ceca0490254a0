using System.CommandLine;
using System.Globalization;
using System.Reflection;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Settings;
using DFLComposite.Faces;

namespace DFLComposite.Node.Jobs;

/// <summary>
/// A job kind's command-line options, made from its field declarations (one option per field; the flag, help, range and
/// choices come from <see cref="SettingAttribute"/>), and the spec a parsed command line stands for. Values are parsed
/// here rather than by System.CommandLine so a bad number reads "--erode: 'x' is not a whole number; allowed -400..400",
/// never a .NET type name. Only flags given on the command line are set; everything else keeps the spec's defaults.
/// </summary>
internal sealed class JobBinder
{
    private readonly Type _spec;
    private readonly List<(SettingField Field, Option Option)> _fields = [];
    private readonly List<(PropertyInfo Group, Option<string?> File)> _files = [];

    /// <param name="omit">JSON paths of fields this command does not offer.</param>
    public JobBinder(Type spec, params string[] omit)
    {
        _spec = spec;
        foreach (SettingField f in SettingsSchema.For(spec).Where(f => !f.Declaration.JsonOnly && !omit.Contains(f.JsonPath)))
        {
            _fields.Add((f, MakeOption(f)));
        }

        foreach ((PropertyInfo group, SettingsGroupAttribute d) in SettingsSchema.Groups(spec).Where(g => g.Declaration.FileFlag is not null))
        {
            _files.Add((group, new Option<string?>(d.FileFlag!)
            {
                Description = $"{d.Help} A JSON file of these settings (camelCase fields, any subset); flags given on the command line override it.",
            }));
        }
    }

    public IEnumerable<Option> Options => _fields.Select(x => x.Option).Concat(_files.Select(x => (Option)x.File));

    /// <summary>The flag a JSON path is set with, or null when this command has none.</summary>
    public string? FlagOf(string jsonPath) => _fields.FirstOrDefault(x => x.Field.JsonPath == jsonPath).Option?.Name;

    /// <summary>
    /// The spec the command line stands for (paths as typed) and the flags whose text was not a value of their type;
    /// those fields keep their defaults, so the caller can report them beside the spec's own validation errors.
    /// </summary>
    public (JobSpec Spec, IReadOnlyList<FieldError> Errors) Bind(ParseResult r)
    {
        var spec = (JobSpec)Activator.CreateInstance(_spec)!;
        var errors = new List<FieldError>();
        foreach ((PropertyInfo group, Option<string?> file) in _files)
        {
            if (r.GetValue(file) is { } path)
            {
                // settings file errors name the file and the field (JobValidationException with Source)
                try
                {
                    object record = typeof(JobJson).GetMethod(nameof(JobJson.LoadRecord))!.MakeGenericMethod(group.PropertyType).Invoke(null, [path])!;
                    group.SetValue(spec, record);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                }
            }
        }

        foreach ((SettingField f, Option option) in _fields)
        {
            if (r.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            try
            {
                f.Set(spec, Value(f, option, r));
            }
            catch (FormatException ex)
            {
                errors.Add(new FieldError(f.JsonPath, ex.Message));
            }
        }

        return (spec, errors);
    }

    private static Option MakeOption(SettingField f)
    {
        SettingAttribute d = f.Declaration;
        string[] aliases = [.. d.Aliases, .. d.Short is null ? [] : new[] { d.Short }];
        string help = Help(f);
        if (f.ValueType == typeof(bool))
        {
            return new Option<bool>(f.Flag, aliases) { Description = help, Arity = ArgumentArity.ZeroOrOne };
        }

        if (f.IsList)
        {
            return new Option<string[]>(f.Flag, aliases) { Description = help, Required = d.Required, AllowMultipleArgumentsPerToken = true, HelpName = HelpName(f) };
        }

        return new Option<string>(f.Flag, aliases) { Description = help, Required = d.Required, HelpName = HelpName(f) };
    }

    private static object? Value(SettingField f, Option option, ParseResult r)
    {
        Type t = f.ValueType;
        if (t == typeof(bool))
        {
            bool on = r.GetValue((Option<bool>)option);
            return f.Declaration.Inverted ? !on : on;
        }

        if (f.IsList)
        {
            string[] values = r.GetValue((Option<string[]>)option) ?? [];
            return f.Type == typeof(string[]) ? values : (IReadOnlyList<string>)values;
        }

        string text = r.GetValue((Option<string>)option) ?? "";
        if (t == typeof(string))
        {
            return text;
        }

        if (t == typeof(FaceType))
        {
            try
            {
                return FaceTypes.Parse(text);
            }
            catch (FormatException)
            {
                throw new FormatException($"'{text}' is not a face type; use {f.Allowed}");
            }
        }

        const NumberStyles Number = NumberStyles.Float;
        var c = CultureInfo.InvariantCulture;
        // boxed one by one: a nested ?: would widen every branch to double
        if (t == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, c, out int i) ? i : throw Whole(text, f);
        }

        if (t == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, c, out long l) ? l : throw Whole(text, f);
        }

        if (t == typeof(double))
        {
            return double.TryParse(text, Number, c, out double d) ? d : throw NotNumber(text, f);
        }

        return t == typeof(float)
            ? float.TryParse(text, Number, c, out float x) ? x : throw NotNumber(text, f)
            : throw new InvalidOperationException($"no binding for {t.Name}");
    }

    private static FormatException Whole(string text, SettingField f) => new($"'{text}' is not a whole number; allowed {f.Allowed}");

    private static FormatException NotNumber(string text, SettingField f) => new($"'{text}' is not a number; allowed {f.Allowed}");

    private static string Help(SettingField f)
    {
        SettingAttribute d = f.Declaration;
        var extra = new List<string>();
        if (d.HasRange)
        {
            extra.Add(f.Allowed);
        }
        else if (d.Choices is not null && d.Plugin is null)
        {
            extra.Add(f.Allowed);
        }

        if (f.Default is { } def && f.ValueType != typeof(bool) && !(def is string s && s.Length == 0) && !(def is System.Collections.ICollection { Count: 0 }))
        {
            extra.Add("default " + (def is FaceType ft ? ft.ShortName() : SettingsValidator.Format(def)));
        }

        return extra.Count == 0 ? d.Help : $"{d.Help} [{string.Join("; ", extra)}]";
    }

    private static string HelpName(SettingField f) =>
        f.Declaration.Path != PathRole.None ? "path" : f.IsInteger ? "n" : f.IsNumber ? "x" : f.Declaration.Choices is not null && f.Declaration.Plugin is null ? "choice" : "text";
}
