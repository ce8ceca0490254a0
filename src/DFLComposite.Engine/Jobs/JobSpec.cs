using System.Text.Json.Serialization;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Jobs;

/// <summary>
/// A job as every adapter hands it to the engine: one record per kind (<see cref="JobKinds"/>), JSON-serialisable, with
/// its stage's settings record(s) plus inputs and outputs. The CLI builds one from flags, <c>dflc run</c> and the
/// service from JSON; <see cref="JobRunner"/> runs any of them.
/// </summary>
public abstract record JobSpec : ISettingsRules
{
    public const int CurrentVersion = 1;

    /// <summary>The kind's name in JSON (<c>"kind": "merge"</c>).</summary>
    [JsonPropertyOrder(-2)]
    public string Kind => JobKinds.NameOf(GetType());

    [JsonPropertyOrder(-1)]
    [Setting("Job file format version.", Min = CurrentVersion, Max = CurrentVersion, JsonOnly = true)]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Rules between fields of this kind (single fields are checked from their declarations).</summary>
    public virtual IEnumerable<FieldError> Check() => [];
}

/// <summary>The job kinds by JSON name.</summary>
public static class JobKinds
{
    private static readonly (string Name, Type Type)[] All =
    [
        ("extract", typeof(ExtractJob)), ("train", typeof(TrainJob)), ("xseg-train", typeof(XSegTrainJob)), ("xseg-apply", typeof(XSegApplyJob)),
        ("merge", typeof(MergeJob)), ("mask", typeof(MaskJob)), ("swap", typeof(SwapJob)), ("evaluate", typeof(EvaluateJob)), ("render", typeof(RenderJob)), ("assemble", typeof(AssembleJob)),
    ];

    public static IEnumerable<string> Names => All.Select(k => k.Name);

    public static IEnumerable<Type> Types => All.Select(k => k.Type);

    public static Type? TypeOf(string name) => All.FirstOrDefault(k => k.Name == name).Type;

    public static string NameOf(Type type) => All.FirstOrDefault(k => k.Type == type).Name ?? throw new ArgumentException($"{type.Name} is not a job kind");
}
