using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;

namespace DFLComposite.Node;

/// <summary>
/// The reference-person options (<c>--reference</c> photos, <c>--reference-threshold</c>) that extract, merge and swap
/// share, and the <see cref="ReferenceFilter"/> they make.
/// </summary>
internal static class ReferenceOptions
{
    public static Option<string[]> Photos(string name, string what) =>
        new(name) { Description = $"Photo(s) of the one person to {what} (its largest face); faces of anyone else are left alone.", AllowMultipleArgumentsPerToken = true };

    public static Option<float?> Threshold() =>
        new("--reference-threshold") { Description = "Identity distance below which a face is the reference person (default: the embedder's, 0.6; lower is stricter)." };

    /// <summary>The filter for <paramref name="photos"/>, or null when none are given.</summary>
    public static ReferenceFilter? Filter(PluginCatalog catalog, IFaceDetector detector, ILandmarker landmarker, IReadOnlyList<string>? photos, float? threshold, float minScore) =>
        photos is { Count: > 0 }
            ? ReferenceFilter.FromPhotos(catalog.Create<IFaceEmbedder>(ReferenceFilter.DefaultEmbedder), detector, landmarker, photos.Select(Path.GetFullPath).ToArray(), threshold, minScore)
            : null;

    /// <summary>The line that says how many faces the filter kept and skipped.</summary>
    public static string Summary(ReferenceFilter person, string kept)
    {
        (long k, long rejected) = person.Counts;
        return $"Reference filter (threshold {person.Threshold}): {k} face(s) matched the reference person ({kept}), {rejected} face(s) of other people were left alone";
    }
}
