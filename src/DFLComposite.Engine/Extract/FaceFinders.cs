using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// The face finders every stage uses, built from the catalog once here: extraction's, and the merge's (merge, mask,
/// render and the per-frame sessions), each optionally limited to one reference person.
/// </summary>
public static class FaceFinders
{
    /// <summary>Extraction's finder: the settings' detector and landmarker, limited to <see cref="ExtractSettings.References"/> when given.</summary>
    public static FaceFinder ForExtract(PluginCatalog catalog, ExtractSettings settings)
    {
        IFaceDetector detector = catalog.Create<IFaceDetector>(settings.Detector);
        ILandmarker landmarker = catalog.Create<ILandmarker>(settings.Landmarker);
        return new FaceFinder(detector, landmarker, settings, Reference(catalog, detector, landmarker, settings.References, settings.ReferenceThreshold, settings.MinScore));
    }

    /// <summary>
    /// The merge's finder: the merge settings' detector, landmarker, smoothing and detection interval, limited to the
    /// person in <paramref name="references"/> when photos are given.
    /// </summary>
    public static FaceFinder ForMerge(PluginCatalog catalog, MergeSettings settings, IReadOnlyList<string>? references = null, float? threshold = null)
    {
        var extract = MergeExtractSettings(settings);
        IFaceDetector detector = catalog.Create<IFaceDetector>(extract.Detector);
        ILandmarker landmarker = catalog.Create<ILandmarker>(extract.Landmarker);
        return new FaceFinder(detector, landmarker, extract, Reference(catalog, detector, landmarker, references, threshold, extract.MinScore));
    }

    /// <summary>The extract settings a merge finds faces with (its detector, landmarker, smoothing and detection interval).</summary>
    public static ExtractSettings MergeExtractSettings(MergeSettings settings) =>
        new() { Detector = settings.Detector, Landmarker = settings.Landmarker, Smooth = settings.Smooth, DetectEvery = settings.DetectEvery };

    /// <summary>The filter for <paramref name="photos"/>, or null when none are given.</summary>
    public static ReferenceFilter? Reference(PluginCatalog catalog, IFaceDetector detector, ILandmarker landmarker, IReadOnlyList<string>? photos, float? threshold, float minScore) =>
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
