using System.Text.Json;
using System.Text.Json.Serialization;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// Job specs to and from JSON. Reading checks the document against the declarations before anything is built, so
/// every unknown field, wrong type or out-of-range value is reported by JSON path with what is allowed (never a
/// serializer message), all at once. Relative paths are relative to the job file's folder.
/// </summary>
public static class JobJson
{
    /// <summary>Largest job or settings file read (a job is a few kB; anything near this is not a job).</summary>
    public const int MaxBytes = 1 << 20;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new FaceTypeJsonConverter() },
        MaxDepth = 16,
    };

    /// <summary>The job as JSON, without the fields its kind leaves out of a settings record (a mask job's codec ...).</summary>
    public static string Serialize(JobSpec spec) => ToNode(spec).ToJsonString(Options);

    public static System.Text.Json.Nodes.JsonObject ToNode(JobSpec spec)
    {
        var node = JsonSerializer.SerializeToNode(spec, spec.GetType(), Options)!.AsObject();
        foreach ((System.Reflection.PropertyInfo p, SettingsGroupAttribute g) in SettingsSchema.Groups(spec.GetType()))
        {
            if (node[SettingsSchema.JsonName(p)] is System.Text.Json.Nodes.JsonObject group)
            {
                foreach (string excluded in g.Exclude)
                {
                    group.Remove(excluded);
                }
            }
        }

        if (spec is SequenceJob { Job: { } inner })
        {
            node["job"] = ToNode(inner);
        }

        return node;
    }

    /// <summary>Reads, checks and validates a job file; paths come back absolute (relative ones are relative to the file).</summary>
    public static JobSpec Load(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        string json = ReadLimited(path, "job file");
        return Parse(json, System.IO.Path.GetDirectoryName(path)!, path);
    }

    /// <summary>A job from JSON text (a request body): checked, deserialised, paths resolved against <paramref name="baseDirectory"/>, validated.</summary>
    /// <param name="source">Names the document in errors (a file path), or null.</param>
    public static JobSpec Parse(string json, string baseDirectory, string? source = null)
    {
        JobSpec spec;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var errors = new List<FieldError>();
            Type? type = KindOf(doc.RootElement, "", errors);
            if (type is null)
            {
                throw new JobValidationException(errors, source, shape: true);
            }

            JsonShape.CheckObject(doc.RootElement, type, "", errors);
            if (errors.Count > 0)
            {
                throw new JobValidationException(errors, source, shape: true);
            }

            spec = Deserialize(doc.RootElement, type);
        }
        catch (JsonException ex)
        {
            throw new JobValidationException([new FieldError(Clean(ex.Path), $"not valid JSON ({ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})")], source, shape: true);
        }

        // values first: a spec that fails them may not even serialise (paths are resolved through a JSON copy)
        JobValidationException.ThrowIf(Validate(spec), source);
        return JobPaths.Resolve(spec, baseDirectory);
    }

    /// <summary>Every problem of a built spec: declared ranges and the kind's own rules, a render job's inner job included.</summary>
    public static IReadOnlyList<FieldError> Validate(JobSpec spec)
    {
        var errors = new List<FieldError>(SettingsValidator.Check(spec));
        if (spec is SequenceJob { Job: { } inner })
        {
            errors.AddRange(Validate(inner).Select(e => e.Under("job")));
        }

        return errors;
    }

    /// <summary>A settings record from a JSON file (<c>--settings</c>): any subset of fields, checked like a job's.</summary>
    public static T LoadRecord<T>(string path) where T : class, new()
    {
        path = System.IO.Path.GetFullPath(path);
        return ReadRecord<T>(ReadLimited(path, "settings file"), path);
    }

    /// <summary>A settings record from JSON text, checked like a job's; errors name <paramref name="path"/> and the field.</summary>
    public static T ReadRecord<T>(string json, string path) where T : class, new()
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            var errors = new List<FieldError>();
            JsonShape.CheckRecord(doc.RootElement, typeof(T), [], "", errors);
            JobValidationException.ThrowIf(errors, path);
            T record = doc.RootElement.Deserialize<T>(Options) ?? new T();
            JobValidationException.ThrowIf(SettingsValidator.Check(record), path);
            return record;
        }
        catch (JsonException ex)
        {
            throw new JobValidationException([new FieldError(Clean(ex.Path), "not valid JSON")], path);
        }
    }

    internal static JobSpec Deserialize(JsonElement element, Type type) =>
        (JobSpec)(element.Deserialize(type, Options) ?? throw new JsonException("null job"));

    internal static Type? KindOf(JsonElement element, string path, List<FieldError> errors)
    {
        string at = path.Length == 0 ? "kind" : path + ".kind";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "a job is a JSON object with a \"kind\""));
            return null;
        }

        if (!element.TryGetProperty("kind", out JsonElement kind) || kind.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(at, $"is required; use one of {string.Join(", ", JobKinds.Names)}"));
            return null;
        }

        Type? type = JobKinds.TypeOf(kind.GetString()!);
        if (type is null)
        {
            errors.Add(new FieldError(at, $"'{kind.GetString()}' is not a job kind; use one of {string.Join(", ", JobKinds.Names)}"));
        }

        return type;
    }

    private static string ReadLimited(string path, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UserErrorException(Directory.Exists(path) ? $"{path} is a folder, not a {what}." : $"{path}: {what} not found.");
        }

        if (info.Length > MaxBytes)
        {
            throw new UserErrorException($"{path}: {info.Length} bytes is larger than a {what} may be ({MaxBytes} bytes).");
        }

        return File.ReadAllText(path);
    }

    private static string Clean(string? jsonPath) => (jsonPath ?? "$").TrimStart('$').TrimStart('.');
}

/// <summary>A job held inside another (<see cref="SequenceJob.Job"/>): written as its own kind, read by its <c>"kind"</c>.</summary>
public sealed class JobSpecJsonConverter : JsonConverter<JobSpec>
{
    public override JobSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        var errors = new List<FieldError>();
        Type type = JobJson.KindOf(doc.RootElement, "", errors) ?? throw new JsonException(errors[0].Message);
        return JobJson.Deserialize(doc.RootElement, type);
    }

    public override void Write(Utf8JsonWriter writer, JobSpec value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
