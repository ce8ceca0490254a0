using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using DFLComposite.Plugins;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Tests.Training;

/// <summary>A third-party architecture, compiled here as a separate plugin, trained by the unchanged trainer.</summary>
[Collection("training")]
public sealed class CustomArchitectureTests(TrainingFixture data) : IDisposable
{
    private const string Source = """
        using DFLComposite.Engine.Training;
        using DFLComposite.Plugins;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace ThirdParty;

        // Shared conv encoder, one 1x1 head per person; the mask is a constant-free sigmoid of a learned map.
        public sealed class TinyNet : SwapNetwork
        {
            private readonly Conv2d _enc1, _enc2, _src, _dst, _mask;

            public TinyNet() : base("tiny")
            {
                _enc1 = Conv2d(3, 8, 3, padding: 1);
                _enc2 = Conv2d(8, 8, 3, padding: 1);
                _src = Conv2d(8, 3, 1);
                _dst = Conv2d(8, 3, 1);
                _mask = Conv2d(8, 1, 1);
                RegisterComponents();
            }

            private Tensor Features(Tensor x) => functional.relu(_enc2.call(functional.relu(_enc1.call(x))));

            public override (Tensor Image, Tensor Mask) Reconstruct(Tensor faces, FaceSide side)
            {
                Tensor f = Features(faces);
                return (functional.sigmoid((side == FaceSide.Src ? _src : _dst).call(f)), functional.sigmoid(_mask.call(f)));
            }

            public override (Tensor Image, Tensor Mask) Swap(Tensor dstFaces)
            {
                Tensor f = Features(dstFaces);
                return (functional.sigmoid(_src.call(f)), functional.sigmoid(_mask.call(f)));
            }
        }

        [PluginExport(typeof(ISwapModel), "tiny", "0.1", "Two 3x3 convs and 1x1 heads")]
        public sealed class TinyModel : ISwapModel
        {
            public void Initialize(PluginContext context) { }
            public SwapModelOptions Defaults() => new() { Model = "tiny", Resolution = 32, Archi = "tiny" };
            public void Validate(SwapModelOptions options) { }
            public SwapNetwork Create(SwapModelOptions options) => new TinyNet();
        }
        """;

    private readonly TempDir _temp = new();

    [SkippableFact]
    public void The_trainer_trains_a_plugin_defined_architecture()
    {
        Skip.IfNot(TestPaths.HasSharedData, "needs ../shared/data");
        string plugins = Path.Combine(_temp.Path, "plugins");
        Compile(Path.Combine(plugins, "ThirdParty", "ThirdParty.Tiny.dll"));
        using PluginCatalog catalog = PluginCatalog.Load([plugins], new PluginContext(TestPaths.ModelsDirectory, NullLoggerFactory.Instance));
        Assert.Empty(catalog.Failures);
        ISwapModel tiny = catalog.Create<ISwapModel>("tiny");

        string ws = Path.Combine(_temp.Path, "ws");
        TrainResult r = new Trainer(tiny, new TrainSettings { BatchSize = 4, LearningRate = 3e-3, Optimizer = "adam", MaxIterations = 60, PreviewEvery = 0, SaveEveryMinutes = 0 }, NullLogger.Instance)
            .Run(ws, data.Src, data.Dst, tiny.Defaults(), new HashSet<string>(), null, CancellationToken.None);

        Assert.Equal(60, r.Iteration);
        double first = r.History.Points.Take(10).Average(p => p.Src + p.Dst), last = r.History.Points.TakeLast(10).Average(p => p.Src + p.Dst);
        Assert.True(last < first * 0.9, $"loss {first:F3} -> {last:F3}"); // an untrained net stays near 1.0; the margin absorbs init noise from concurrently seeded tests
        Assert.Equal("tiny", Checkpoint.ReadHeader(Path.Combine(ws, Checkpoint.FileName)).Options.Model);
        Assert.True(File.Exists(Path.Combine(ws, Trainer.PreviewFile)));
    }

    public void Dispose() => _temp.Dispose();

    private static void Compile(string output) =>
        PluginCompiler.Compile(Source, output, "TorchSharp.dll", "DFLComposite.Abstractions.dll", "DFLComposite.Engine.dll");
}
