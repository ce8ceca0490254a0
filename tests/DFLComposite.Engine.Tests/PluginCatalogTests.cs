using System.Reflection;
using System.Runtime.Loader;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Plugins;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Tests;

public sealed class PluginCatalogTests : IDisposable
{
    // A third-party detector, compiled here against the Abstractions alone: the host never references it.
    private const string PluginSource = """
        using DFLComposite.Faces;
        using DFLComposite.Media;
        using DFLComposite.Plugins;

        namespace ThirdParty;

        [PluginExport(typeof(IFaceDetector), "centre-box", "2.5", "Reports one face in the middle of the frame")]
        public sealed class CentreBoxDetector : IFaceDetector
        {
            private string _models = "";
            public void Initialize(PluginContext context) => _models = context.ModelsDirectory;
            public System.Collections.Generic.IReadOnlyList<DetectedFace> Detect(ImageFrame frame, float minScore)
            {
                var box = new RectF(frame.Width / 4f, frame.Height / 4f, frame.Width / 2f, frame.Height / 2f);
                var eye = new PointF(0, 0);
                return new[] { new DetectedFace(box, _models.Length > 0 ? 0.9f : 0f, new[] { eye, eye, eye, eye, eye, eye }) };
            }
        }
        """;

    private readonly TempDir _temp = new();

    [Fact]
    public void Discovers_and_calls_a_plugin_built_separately()
    {
        string folder = Path.Combine(_temp.Path, "plugins", "ThirdParty");
        CompilePlugin(PluginSource, Path.Combine(folder, "ThirdParty.Detector.dll"));

        using PluginCatalog catalog = PluginCatalog.Load([Path.Combine(_temp.Path, "plugins")], new PluginContext("/models", NullLoggerFactory.Instance));

        PluginPart part = Assert.Single(catalog.PartsOf<IFaceDetector>(), p => p.Metadata.Name == "centre-box");
        Assert.Equal("2.5", part.Metadata.Version);
        Assert.Equal("detector", part.Family);
        Assert.Equal("extract", part.Stage);
        Assert.Equal(Path.Combine(folder, "ThirdParty.Detector.dll"), part.SourceAssembly);
        // Loaded in its own context, yet implementing the host's IFaceDetector (shared contracts).
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(part.Implementation.Assembly));

        IFaceDetector detector = catalog.Create<IFaceDetector>("CENTRE-BOX");
        DetectedFace face = Assert.Single(detector.Detect(new ImageFrame(200, 100, new byte[200 * 100 * 3]), 0.5f));
        Assert.Equal(new RectF(50, 25, 100, 50), face.Box);
        Assert.Equal(0.9f, face.Score); // proves Initialize ran with the context
        Assert.Empty(catalog.Failures);
    }

    [Fact]
    public void A_corrupt_dll_is_reported_and_skipped()
    {
        string plugins = Path.Combine(_temp.Path, "plugins");
        CompilePlugin(PluginSource, Path.Combine(plugins, "Good", "Good.dll"));
        Directory.CreateDirectory(Path.Combine(plugins, "Broken"));
        string broken = Path.Combine(plugins, "Broken", "Broken.dll");
        File.WriteAllBytes(broken, [0x4d, 0x5a, 0x90, 0x00, 0xde, 0xad, 0xbe, 0xef, .. new byte[500]]);
        File.WriteAllText(Path.Combine(plugins, "Stray.dll"), "not an assembly");

        using PluginCatalog catalog = PluginCatalog.Load([plugins], new PluginContext("/models", NullLoggerFactory.Instance));

        Assert.Contains(catalog.PartsOf<IFaceDetector>(), p => p.Metadata.Name == "centre-box");
        Assert.Contains(catalog.Failures, f => f.Path == broken);
        Assert.Contains(catalog.Failures, f => f.Path.EndsWith("Stray.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_folder_is_not_an_error_and_an_unknown_name_lists_what_exists()
    {
        string plugins = Path.Combine(_temp.Path, "plugins");
        CompilePlugin(PluginSource, Path.Combine(plugins, "Good", "Good.dll"));
        using PluginCatalog catalog = PluginCatalog.Load([plugins, Path.Combine(_temp.Path, "nope")], new PluginContext("/m", NullLoggerFactory.Instance));

        var ex = Assert.Throws<PluginNotFoundException>(() => catalog.Create<IFaceDetector>("retinaface"));
        Assert.Contains("retinaface", ex.Message);
        Assert.Contains("centre-box", ex.Message);
        Assert.Empty(catalog.Failures);
    }

    [Fact]
    public void Every_stage_contract_has_a_family()
    {
        Assert.Contains(PluginCatalog.Families, f => f.Contract == typeof(IFaceDetector) && f.Family.Family == "detector");
    }

    public void Dispose() => _temp.Dispose();

    private static void CompilePlugin(string source, string outputPath) =>
        PluginCompiler.Compile(source, outputPath, "DFLComposite.Abstractions.dll");
}
