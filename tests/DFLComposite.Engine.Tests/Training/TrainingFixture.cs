using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Training;
using DFLComposite.Tests;

namespace DFLComposite.Engine.Tests.Training;

/// <summary>Two small facesets of two different people, extracted once for all training tests.</summary>
public sealed class TrainingFixture : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly Lazy<(FaceSet Src, FaceSet Dst)> _sets;

    public TrainingFixture() => _sets = new(() =>
    {
        var settings = new ExtractSettings { Size = 128, Every = 4 };
        string src = Extraction.Run(settings, Path.Combine(_temp.Path, "src"), TestPaths.Media("video/d18.mp4")).Output;
        string dst = Extraction.Run(settings, Path.Combine(_temp.Path, "dst"), TestPaths.Media("video/d3.mp4")).Output;
        return (FaceSet.Open(src), FaceSet.Open(dst));
    });

    public FaceSet Src => _sets.Value.Src;

    public FaceSet Dst => _sets.Value.Dst;

    public string NewWorkspace() => Path.Combine(_temp.Path, "ws-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A small df model at 64 px: big enough to learn faces, small enough for seconds per run.</summary>
    public static SwapModelOptions Tiny64 => new() { Model = "saehd", Archi = "df", Resolution = 64, FaceType = Faces.FaceType.Full, AeDims = 64, EDims = 16, DDims = 16, DMaskDims = 8 };

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// Every test that runs libtorch in this process, one after another: the XSeg fixture pins libtorch to one thread while
/// it trains (process-wide state), and a thread count that changes under a running merge changes its floating-point
/// sums, which broke the bit-exact comparisons of merges run at different moments.
/// </summary>
[CollectionDefinition("training")]
public sealed class TrainingCollection : ICollectionFixture<TrainingFixture>, ICollectionFixture<Segmentation.XSegFixture>;
