namespace DFLComposite.Engine.Training;

/// <summary>
/// The rule shared by every trainer that resumes: options that shape the network (resolution, face type, widths ...)
/// are fixed once a model exists, so a flag the user set on purpose that disagrees with the stored model is an error
/// that names it, never a silently different model.
/// </summary>
public static class StructuralOptions
{
    /// <param name="what">"model" or "XSeg model", for the message.</param>
    /// <param name="explicitOptions">JSON names of the options set on purpose; an error is keyed <c>model.&lt;name&gt;</c> (the job's model group).</param>
    public static void EnsureUnchanged(
        string what, string workspace, IEnumerable<(string Name, object Value)> stored, IEnumerable<(string Name, object Value)> requested, IReadOnlySet<string> explicitOptions)
    {
        var saved = stored.ToDictionary(x => x.Name, x => x.Value);
        var errors = new List<Settings.FieldError>();
        foreach ((string name, object value) in requested.Where(x => explicitOptions.Contains(x.Name)))
        {
            if (!Equals(saved[name], value))
            {
                errors.Add(new Settings.FieldError("model." + name,
                    $"the {what} in {workspace} has {saved[name]}; it cannot change to {value} on an existing model. Leave it out, or train a new model in another workspace"));
            }
        }

        Settings.JobValidationException.ThrowIf(errors);
    }
}
