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
}
