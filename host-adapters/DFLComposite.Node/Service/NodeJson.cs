using System.Text.Json;
using System.Text.Json.Serialization;

namespace DFLComposite.Node.Service;

/// <summary>How the API writes JSON: camelCase, nulls written, enums as names.</summary>
internal static class NodeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>As <see cref="Options"/>, without null members (a form reads a missing min as "no minimum").</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
