using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;

namespace DFLComposite.Node;

/// <summary>The face finder of the commands that merge or matte footage (merge, mask, render).</summary>
internal static class MergeFinder
{
    /// <summary>
    /// A finder with the merge settings' detector, landmarker, smoothing and detection interval, limited to the person
    /// in <paramref name="references"/> when photos are given (the filter comes back too, for its summary line).
    /// </summary>
    public static (FaceFinder Finder, ReferenceFilter? Person) Create(PluginCatalog catalog, MergeSettings settings, IReadOnlyList<string>? references = null, float? threshold = null)
    {
        var extract = new ExtractSettings { Detector = settings.Detector, Landmarker = settings.Landmarker, Smooth = settings.Smooth, DetectEvery = settings.DetectEvery };
        IFaceDetector detector = catalog.Create<IFaceDetector>(extract.Detector);
        ILandmarker landmarker = catalog.Create<ILandmarker>(extract.Landmarker);
        ReferenceFilter? person = ReferenceOptions.Filter(catalog, detector, landmarker, references, threshold, extract.MinScore);
        return (new FaceFinder(detector, landmarker, extract, person), person);
    }
}
