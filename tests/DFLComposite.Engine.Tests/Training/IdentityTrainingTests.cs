using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Tests.Training;

[Collection("training")]
public sealed class IdentityTrainingTests(TrainingFixture data, ITestOutputHelper output)
{
    private static IFaceEmbedder Embedder => BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec");

    [SkippableFact]
    public void The_differentiable_chip_crop_gives_the_same_descriptor_as_the_embedders_own_crop()
    {
        SwapModelOptions options = TrainingFixture.Tiny64 with { Resolution = 128 };
        using IdentityLoss loss = IdentityLoss.Create(Embedder, data.Src, options);
        double sum = 0;
        foreach (FaceSetEntry entry in data.Src.Faces.Take(6))
        {
            AlignedFace face = AlignedFaceFile.Read(data.Src.PathOf(entry));
            PointF[] crop68 = FaceSample.ModelLandmarks(face.Metadata, options.FaceType, options.Resolution);
            using FaceSample sample = FaceSample.Load(data.Src.PathOf(entry), options.FaceType, options.Resolution);
            using var eight = new Mat();
            sample.Image.ConvertTo(eight, MatType.CV_8UC3, 255);
            eight.GetArray(out Vec3b[] px);
            var frame = new ImageFrame(128, 128, System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).ToArray());
            float[] own = Embedder.Embed(frame, crop68);

            sample.Image.GetArray(out Vec3f[] f);
            using var scope = NewDisposeScope();
            Tensor t = tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<Vec3f, float>(f.AsSpan()).ToArray(), [1, 128, 128, 3]).permute(0, 3, 1, 2);
            float[] viaGrid = loss.Embed(t).data<float>().ToArray();
            sum += FaceDescriptor.Distance(own, viaGrid);
        }

        // One chip transform for all faces (from their mean landmarks) vs each face's own: close, not equal.
        output.WriteLine($"mean descriptor distance, grid-sampled chip vs the embedder's own crop: {sum / 6:F3}");
        Assert.True(sum / 6 < 0.25, $"{sum / 6}");
    }

    [SkippableFact]
    public void Training_with_the_identity_loss_moves_the_swap_towards_the_src_person()
    {
        float Distance(double weight)
        {
            string ws = data.NewWorkspace();
            var settings = new TrainSettings { BatchSize = 4, LearningRate = 3e-4, MaxIterations = 25, PreviewEvery = 0, SaveEveryMinutes = 0, IdentityWeight = weight };
            new Trainer(BuiltInPlugins.Catalog.Create<ISwapModel>("saehd"), settings, NullLogger.Instance, Embedder)
                .Run(ws, data.Src, data.Dst, TrainingFixture.Tiny64, new HashSet<string>(), null, CancellationToken.None);
            (CheckpointHeader header, string file, _) = Checkpoint.Find(ws);
            using SwapNetwork network = BuiltInPlugins.Catalog.Create<ISwapModel>("saehd").Create(header.Options);
            Checkpoint.LoadWeights(file, network);
            network.eval();
            using IdentityLoss loss = IdentityLoss.Create(Embedder, data.Src, header.Options);
            using var loader = new SampleLoader(SampleLoader.Files(data.Dst, null), header.Options.FaceType, 64, 8, 1, false, false, false, 1, 9);
            using SampleBatch batch = loader.Fixed(0, 8);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return loss.SrcDistance(loss.Embed(network.Swap(batch.Input).Image)).mean().item<float>();
        }

        float without = Distance(0), with = Distance(20);
        output.WriteLine($"swap identity distance to src after 25 iterations: without identity loss {without:F3}, with (weight 20) {with:F3}");
        Assert.True(with < without - 0.02, $"{with} vs {without}");
    }

    [SkippableFact]
    public void Validation_writes_metrics_over_time()
    {
        using var temp = new TempDir();
        string src = Copy(data.Src.Directory, temp.File("src")), dst = Copy(data.Dst.Directory, temp.File("dst"));
        FaceSetSplitter.Split(FaceSet.Open(src), 0.8, 0.2, 0);
        FaceSetSplitter.Split(FaceSet.Open(dst), 0.8, 0.2, 0);
        string ws = temp.File("ws");
        // --until-quality face: twelve iterations never make a face, so the iteration limit stops it, and every
        // validation's verdict on the dst val faces says not-a-face
        var settings = new TrainSettings { BatchSize = 4, LearningRate = 3e-4, MaxIterations = 12, ValidateEvery = 4, PreviewEvery = 0, SaveEveryMinutes = 0, UntilQuality = QualityLevel.Face };
        TrainResult result = new Trainer(BuiltInPlugins.Catalog.Create<ISwapModel>("saehd"), settings, NullLogger.Instance, Embedder, Extraction.Finder(new ExtractSettings()))
            .Run(ws, FaceSet.Open(src), FaceSet.Open(dst), TrainingFixture.Tiny64, new HashSet<string>(), null, CancellationToken.None);
        ValidationLog log = ValidationLog.Load(ws, long.MaxValue);
        Assert.Equal([4L, 8, 12], log.Points.Select(p => p.Iteration));
        Assert.Contains("iteration limit", result.StopReason, StringComparison.Ordinal);
        Assert.All(log.Points, p =>
        {
            Assert.InRange(p.SrcSsim, 0, 1);
            Assert.InRange(p.DstSsim, 0, 1);
            Assert.InRange(p.SwapIdentity, 0.01f, 2);
            Assert.InRange(p.ValidFraction, 0, 1);
            Assert.True(p.Sharpness >= 0, $"sharpness {p.Sharpness}");
            Assert.Equal(QualityLevel.NotAFace, p.Quality);
        });
        output.WriteLine(string.Join("\n", log.Points.Select(p => $"it {p.Iteration}: valid {p.ValidFraction:P0}, sharpness {p.Sharpness:F3}, as src {p.VerifiedAsSrc:P0}, {p.Quality}")));
        Assert.True(File.Exists(Path.Combine(ws, ValidationLog.PlotFile)));
        Assert.True(File.Exists(Path.Combine(ws, ValidationLog.QualityPlotFile)));
        Assert.Equal(2, ValidationLog.Load(ws, 8).Points.Count); // a resume at 8 drops the row at 12
    }

    private static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }

        return to;
    }
}
