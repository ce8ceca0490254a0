using DFLComposite.Engine;
using DFLComposite.Faces;

namespace DFLComposite.Node;

/// <summary>Parsing of option values shared by several commands, with usage errors (exit 2) for bad input.</summary>
internal static class CliParse
{
    public static FaceType FaceType(string text)
    {
        try
        {
            return FaceTypes.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }
}
