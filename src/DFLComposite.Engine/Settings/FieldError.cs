namespace DFLComposite.Engine.Settings;

/// <summary>
/// One problem with one field of a job, keyed by its JSON path (<c>settings.erodeMask</c>), worded without naming an
/// adapter: the CLI shows the field's flag, the service the JSON path, a job file its name and the path.
/// </summary>
/// <param name="Path">Dotted JSON path from the job's root (no <c>$</c>); empty for the job as a whole.</param>
/// <param name="Message">What is wrong and what is allowed, e.g. "9999 is out of range; allowed -400..400".</param>
public sealed record FieldError(string Path, string Message)
{
    /// <summary>The same error under a parent field (<c>erodeMask</c> → <c>settings.erodeMask</c>).</summary>
    public FieldError Under(string parent) => this with { Path = parent.Length == 0 ? Path : Path.Length == 0 ? parent : parent + "." + Path };

    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>A job (or settings record) that cannot run as given; exit code 2. <see cref="Errors"/> names each field.</summary>
public sealed class JobValidationException : Exception
{
    /// <param name="shape">The document itself is wrong (unknown fields, wrong types, not JSON), not only its values.</param>
    public JobValidationException(IReadOnlyList<FieldError> errors, string? source = null, bool shape = false)
        : base(Describe(errors, source))
    {
        Errors = errors;
        Source = source;
        Shape = shape;
    }

    /// <summary>The document's shape is wrong (the service answers 400), rather than its values (422).</summary>
    public bool Shape { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The job file the errors are in, when the job came from one.</summary>
    public new string? Source { get; }

    public static JobValidationException For(string path, string message) => new([new FieldError(path, message)]);

    /// <summary>Throws when there are errors.</summary>
    public static void ThrowIf(IEnumerable<FieldError> errors, string? source = null)
    {
        FieldError[] list = errors.ToArray();
        if (list.Length > 0)
        {
            throw new JobValidationException(list, source);
        }
    }

    public JobValidationException WithSource(string source) => new(Errors, source, Shape);

    private static string Describe(IReadOnlyList<FieldError> errors, string? source) =>
        (source is null ? "" : source + ": ") + string.Join("; ", errors.Select(e => e.ToString()));
}
