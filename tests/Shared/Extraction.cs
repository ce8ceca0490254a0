using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Tests;

/// <summary>Runs the real extractor with the built-in plugins, for tests.</summary>
internal static class Extraction
{
    public static FaceFinder Finder(ExtractSettings settings) => new(
        BuiltInPlugins.Catalog.Create<IFaceDetector>(settings.Detector),
        BuiltInPlugins.Catalog.Create<ILandmarker>(settings.Landmarker),
        settings);

    public static ExtractResult Run(ExtractSettings settings, string output, params string[] inputs) =>
        new Extractor(Finder(settings), settings, NullLogger.Instance).RunAsync(inputs, output).GetAwaiter().GetResult();

    /// <summary>Source-frame 68-point landmarks of face 0 per frame, in frame order.</summary>
    public static Dictionary<long, Faces.PointF[]> SourceLandmarks(string faceset) =>
        FaceSet.Open(faceset).Faces.Where(f => f.FaceIndex == 0).ToDictionary(
            f => f.FrameIndex,
            f => AlignedFaceMetadata.Unpack(AlignedFaceFile.ReadMetadata(Path.Combine(faceset, f.File)).SourceLandmarks68));
}
