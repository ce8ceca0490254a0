using System.Text.Json;
using System.Text.Json.Serialization;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Settings;

/// <summary>
/// A face type in JSON: written as its enum name (<c>WholeFace</c>, as checkpoints and faceset indexes store it), read
/// from that, from the short names users type (<c>wf</c>) or from the number older files hold.
/// </summary>
public sealed class FaceTypeJsonConverter : JsonConverter<FaceType>
{
    public override FaceType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) && Enum.IsDefined((FaceType)n))
        {
            return (FaceType)n; // files written before face types were named in JSON
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("a face type is a string: h, mf, f, wf or head");
        }

        try
        {
            return FaceTypes.Parse(reader.GetString()!);
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, FaceType value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
