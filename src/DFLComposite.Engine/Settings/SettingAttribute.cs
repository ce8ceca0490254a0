namespace DFLComposite.Engine.Settings;

/// <summary>What a path field names, so hosts can check it before a job runs (inputs must exist, every path must lie inside the service's roots).</summary>
public enum PathRole
{
    /// <summary>Not a path.</summary>
    None,

    /// <summary>Read by the job: a file or folder that must exist.</summary>
    Input,

    /// <summary>Written by the job: a file, or a folder of images.</summary>
    Output,

    /// <summary>A folder the job creates or resumes (a workspace, a faceset): never a file.</summary>
    OutputFolder,
}

/// <summary>
/// The one declaration of a settings or job field: its help, its flag and its allowed values. The CLI's options, the
/// JSON checks of job files and service requests, the panel's form and the OFX parameters are all derived from it, so
/// a new field is one edit (and <c>SettingsSchemaTests</c> fails when a field has no declaration).
/// </summary>
/// <param name="help">One line for <c>--help</c>, forms and JSON errors.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class SettingAttribute(string help) : Attribute
{
    public string Help { get; } = help;

    /// <summary>The command-line flag; default <c>--</c> + the field's kebab-case name.</summary>
    public string? Flag { get; init; }

    /// <summary>Other spellings of the flag (kept for old command lines).</summary>
    public string[] Aliases { get; init; } = [];

    /// <summary>Short flag, e.g. <c>-i</c>.</summary>
    public string? Short { get; init; }

    /// <summary>Smallest allowed number (inclusive); NaN = no numeric range (then the field is not a number).</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>Largest allowed number (inclusive).</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>The allowed words of a text field, in the order forms show them.</summary>
    public string[]? Choices { get; init; }

    /// <summary>For plugin names: the contract type of the family; the allowed names are the catalog's parts.</summary>
    public Type? Plugin { get; init; }

    /// <summary>For text with its own syntax (loss terms, frame ranges): the syntax, shown in help and errors.</summary>
    public string? Format { get; init; }

    /// <summary>For paths: read or written.</summary>
    public PathRole Path { get; init; }

    /// <summary>The field must be given (a path or a list that has no sensible default).</summary>
    public bool Required { get; init; }

    /// <summary>A bool shown on the command line as a negative switch (<c>--no-random-warp</c>): present means false.</summary>
    public bool Inverted { get; init; }

    /// <summary>Not offered as a command-line flag (set in job files only), e.g. values a host computes.</summary>
    public bool JsonOnly { get; init; }

    public bool HasRange => !double.IsNaN(Min) && !double.IsNaN(Max);
}

/// <summary>
/// A nested settings record inside a job spec (<c>MergeJob.Settings</c>): its fields become flags with
/// <see cref="FlagPrefix"/> in front, and <see cref="FileFlag"/> (when set) loads the whole record from a JSON file
/// whose values the other flags override.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingsGroupAttribute(string help) : Attribute
{
    public string Help { get; } = help;

    public string FlagPrefix { get; init; } = "";

    public string? FileFlag { get; init; }

    /// <summary>JSON names of the record's fields this job does not use (refused in JSON, no flag).</summary>
    public string[] Exclude { get; init; } = [];
}

/// <summary>A settings record's own rules between fields (ranges of single fields are declared by <see cref="SettingAttribute"/>).</summary>
public interface ISettingsRules
{
    /// <summary>Problems, each keyed by the JSON name of the field to change.</summary>
    IEnumerable<FieldError> Check();
}
