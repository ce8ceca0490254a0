namespace DFLComposite.Engine.Training;

/// <summary>
/// The rule shared by every trainer that resumes: options that shape the network (resolution, face type, widths ...)
/// are fixed once a model exists, so a flag the user set on purpose that disagrees with the stored model is an error
/// that names it, never a silently different model.
/// </summary>
public static class StructuralOptions
{
    /// <param name="what">"model" or "XSeg model", for the message.</param>
    public static void EnsureUnchanged(
        string what, string workspace, IEnumerable<(string Name, object Value)> stored, IEnumerable<(string Name, object Value)> requested, IReadOnlySet<string> explicitOptions)
    {
        var saved = stored.ToDictionary(x => x.Name, x => x.Value);
        foreach ((string name, object value) in requested.Where(x => explicitOptions.Contains(x.Name)))
        {
            if (!Equals(saved[name], value))
            {
                throw new UserErrorException(
                    $"The {what} in {workspace} has --{name} {saved[name]}; it cannot change to {value} on an existing model. Drop --{name}, or train a new model in another --workspace.");
            }
        }
    }
}
