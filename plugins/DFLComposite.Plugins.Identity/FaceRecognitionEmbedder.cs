using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Models;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Plugins.Identity;

/// <summary>
/// 128-d identity descriptors from dlib's face recognition ResNet, with the weights face-api.js ships
/// (<c>face_recognition_model.bin</c> + manifest, fetched by set-up). Two photos of one person are typically
/// closer than <see cref="SamePersonThreshold"/>; two people farther.
/// </summary>
[PluginExport(typeof(IFaceEmbedder), "facerec", "1.0", "dlib's 128-d face descriptor ResNet (face-api.js weights, TorchSharp)")]
public sealed class FaceRecognitionEmbedder : IFaceEmbedder, IDisposable
{
    public const string WeightsFile = "face_recognition_model.bin";
    public const string ManifestFile = "face_recognition_model-weights_manifest.json";

    private readonly Dictionary<string, FaceRecognitionNetwork> _byDevice = [];
    private readonly Lock _lock = new();
    private readonly Lock _embedLock = new();
    private IReadOnlyDictionary<string, TfjsWeight>? _weights;

    public int Dimensions => FaceRecognitionNetwork.Dimensions;

    public int ChipSize => FaceRecognitionNetwork.ChipSize;

    /// <summary>
    /// face-api.js's 0.6, confirmed on the shared test photos (13 photos, 4 people, 78 pairs): photos of one person
    /// are at most 0.53 apart, two people at least 0.70, so 0.6 sits in the gap; all pairs are classified right.
    /// </summary>
    public float SamePersonThreshold => 0.6f;

    /// <summary>
    /// How chips are cut. dlib's own template won on the test photos (gap between the farthest same-person pair and
    /// the nearest two-person pair: 0.18, against 0.16 for DeepFaceLab's template and -0.05 for face-api.js's
    /// landmark box); the others remain for that comparison (ChipCropTests).
    /// </summary>
    public ChipCrop Crop { get; init; } = ChipCrop.DlibTemplate;

    public void Initialize(PluginContext context)
    {
        var store = new ModelStore(context.ModelsDirectory);
        store.Require(WeightsFile);
        _weights = TfjsWeights.Load(store.Require(ManifestFile)).ToDictionary(w => w.Name);
    }

    public Affine2D ChipTransform(IReadOnlyList<PointF> points68) => FaceChip.Transform(Crop, points68, ChipSize);

    public float[] Embed(ImageFrame frame, IReadOnlyList<PointF> points68)
    {
        using Mat chip = FaceChip.Cut(frame, ChipTransform(points68), ChipSize);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = FaceChip.ToTensor(chip);
        lock (_embedLock)
        {
            // One embedding at a time: libtorch already spreads one forward pass over every core.
            return Forward(input).data<float>().ToArray();
        }
    }

    /// <summary>
    /// Differentiable descriptors. Each device gets its own copy of the (frozen) network; calls for one device
    /// share it, which libtorch allows for inference and for gradients w.r.t. inputs.
    /// </summary>
    public Tensor Forward(Tensor chips)
    {
        if (chips.dim() != 4 || chips.shape[1] != 3 || chips.shape[2] != ChipSize || chips.shape[3] != ChipSize)
        {
            throw new ArgumentException($"Expected N x 3 x {ChipSize} x {ChipSize} chips, got [{string.Join(", ", chips.shape)}].", nameof(chips));
        }

        if (chips.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Expected float32 chips, got {chips.dtype}.", nameof(chips));
        }

        return Network(chips.device).call(chips);
    }

    /// <summary>The network on a device (created on first use).</summary>
    public FaceRecognitionNetwork Network(Device device)
    {
        IReadOnlyDictionary<string, TfjsWeight> weights = _weights ?? throw new InvalidOperationException("Initialize the embedder first.");
        lock (_lock)
        {
            string key = device.ToString();
            if (!_byDevice.TryGetValue(key, out FaceRecognitionNetwork? net))
            {
                net = new FaceRecognitionNetwork(weights, device);
                net.eval();
                _byDevice[key] = net;
            }

            return net;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (FaceRecognitionNetwork net in _byDevice.Values)
            {
                net.Dispose();
            }

            _byDevice.Clear();
        }
    }
}
