using System.Diagnostics;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Engine.Tests.Segmentation;

/// <summary>
/// Shared by the XSeg tests: faces of d19 (glasses) for training and of d18 (another man) held out, both labelled
/// from their face mesh, and one small XSeg model trained once on d19 with occluder augmentation.
/// </summary>
public sealed class XSegFixture : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly Lazy<(FaceSet Train, FaceSet HeldOut)> _sets;
    private readonly Lazy<XSegTrainResult> _trained;

    public XSegFixture()
    {
        _sets = new(() =>
        {
            var settings = new ExtractSettings { Size = 128, Every = 3 };
            string train = Extraction.Run(settings, Path.Combine(_temp.Path, "d19"), TestPaths.Media("video/d19.mp4")).Output;
            string heldOut = Extraction.Run(settings, Path.Combine(_temp.Path, "d18"), TestPaths.Media("video/d18.mp4")).Output;
            FaceSet t = FaceSet.Open(train), h = FaceSet.Open(heldOut);
            FaceSetLabels.FetchFromMesh(t, overwrite: false);
            FaceSetLabels.FetchFromMesh(h, overwrite: false);
            return (t, h);
        });
        _trained = new(() =>
        {
            FaceSet train = Train; // extraction and labelling are not training time
            var clock = Stopwatch.StartNew();
            // one libtorch thread: on the shared 2-core machine idle OpenMP threads spin while other tests run
            int threads = TorchSharp.torch.get_num_threads();
            TorchSharp.torch.set_num_threads(1);
            try
            {
                XSegTrainResult r = new XSegTrainer(Model, Settings, NullLogger.Instance)
                    .Run(Workspace, [train], Small, new HashSet<string>(), null, CancellationToken.None);
                TrainingSeconds = clock.Elapsed.TotalSeconds;
                return r;
            }
            finally
            {
                TorchSharp.torch.set_num_threads(threads);
            }
        });
    }

    /// <summary>XSeg at 64 px with 16 base channels: the real architecture, small enough to train in a test.</summary>
    public static SegmentationOptions Small => new() { Model = "xseg", Resolution = 64, BaseChannels = 16 };

    public static XSegTrainSettings Settings => new()
    {
        BatchSize = 8, LearningRate = 5e-4, MaxIterations = 400, PreviewEvery = 0, SaveEveryMinutes = 0, ReportEvery = 0,
    };

    public static ISegmentationModel Model => BuiltInPlugins.Catalog.Create<ISegmentationModel>("xseg");

    public FaceSet Train => _sets.Value.Train;

    public FaceSet HeldOut => _sets.Value.HeldOut;

    public string Workspace => Path.Combine(_temp.Path, "xseg");

    /// <summary>The model trained on d19's mesh labels (trained on first use).</summary>
    public XSegTrainResult Trained => _trained.Value;

    public double TrainingSeconds { get; private set; }

    public string NewFolder(string name) => Path.Combine(_temp.Path, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A private copy of a faceset, for tests that change labels or masks.</summary>
    public FaceSet Copy(FaceSet set)
    {
        string folder = NewFolder(Path.GetFileName(set.Directory));
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.EnumerateFiles(set.Directory))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return FaceSet.Open(folder);
    }

    public void Dispose() => _temp.Dispose();
}
