using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// The evaluator's verdict during training, on the dst faceset's val split: each held-out dst face is swapped by the
/// network being trained, then given the same face check, sharpness ratio and identity verification as
/// <c>dflc evaluate</c> gives a merged frame (on the model's square instead of a frame). Everything that does not
/// change while training — the dst squares, their landmarks and descriptors, the src person's mean descriptor — is
/// computed once.
/// </summary>
public sealed class ValidationQuality : IDisposable
{
    /// <summary>At most this many val faces (spread over the split): each costs a detection, a mesh and two descriptors.</summary>
    public const int MaxFaces = 16;

    private readonly FaceFinder _finder;
    private readonly IFaceEmbedder _embedder;
    private readonly List<(FaceSample Sample, PointF[] Square68, float[] Original, double OriginalToSrc, long Frame)> _faces = [];
    private readonly float[] _srcIdentity;

    public ValidationQuality(FaceFinder finder, IFaceEmbedder embedder, FaceSet src, FaceSet dst, SwapModelOptions options)
    {
        (_finder, _embedder) = (finder, embedder);
        _srcIdentity = SwapEvaluator.MeanDescriptor(embedder, src);
        var val = new HashSet<string>(SampleLoader.Files(dst, "val"), StringComparer.Ordinal);
        var entries = dst.Faces.Where(f => val.Contains(dst.PathOf(f))).ToList();
        foreach (FaceSetEntry entry in entries.Count <= MaxFaces ? entries : Enumerable.Range(0, MaxFaces).Select(i => entries[i * entries.Count / MaxFaces]))
        {
            string path = dst.PathOf(entry);
            var sample = FaceSample.Load(path, options.FaceType, options.Resolution);
            PointF[] square68 = FaceSample.ModelLandmarks(AlignedFaceFile.ReadMetadata(path), options.FaceType, options.Resolution);
            float[] original = embedder.Embed(ToFrame(sample.Image), square68);
            _faces.Add((sample, square68, original, FaceDescriptor.Distance(original, _srcIdentity), entry.FrameIndex));
        }
    }

    /// <summary>How many val faces are measured (0: the dst faceset has no val split).</summary>
    public int Count => _faces.Count;

    /// <summary>The verdict on the val faces as <paramref name="network"/> swaps them now (run in eval mode, without gradients).</summary>
    public (QualityVerdict Verdict, QualityFigures Figures) Measure(SwapNetwork network)
    {
        var rows = new List<FrameMetrics>(_faces.Count);
        foreach (var face in _faces)
        {
            using Mat swapped = Swap(network, face.Sample.Image);
            float[] result = _embedder.Embed(ToFrame(swapped), face.Square68);
            (FaceValidity check, double? sharpness) = CropQuality.Measure(_finder, face.Sample.Image, swapped, face.Square68);
            rows.Add(new FrameMetrics(face.Frame, FaceDescriptor.Distance(result, _srcIdentity), FaceDescriptor.Distance(result, face.Original),
                check.LandmarkError, null, null, face.OriginalToSrc, check, sharpness));
        }

        return QualityVerdict.From(rows, _embedder.SamePersonThreshold);
    }

    public void Dispose()
    {
        foreach (var face in _faces)
        {
            face.Sample.Dispose();
        }
    }

    // One BGR float square (HWC, [0, 1]) through the network's swap.
    private static Mat Swap(SwapNetwork network, Mat square)
    {
        int r = square.Width;
        square.GetArray(out Vec3f[] px);
        float[] flat = new float[px.Length * 3];
        System.Runtime.InteropServices.MemoryMarshal.Cast<Vec3f, float>(px.AsSpan()).CopyTo(flat);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(flat, [1, r, r, 3]).permute(0, 3, 1, 2).contiguous();
        float[] output = network.Swap(input).Image.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        return Mat.FromPixelData(r, r, MatType.CV_32FC3, output).Clone();
    }

    private static DFLComposite.Media.ImageFrame ToFrame(Mat square)
    {
        using var eight = new Mat();
        square.ConvertTo(eight, MatType.CV_8UC3, 255);
        return eight.ToFrame();
    }
}
