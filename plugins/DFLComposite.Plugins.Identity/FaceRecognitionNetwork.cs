using DFLComposite.Engine.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DFLComposite.Plugins.Identity;

/// <summary>
/// dlib's face recognition ResNet (dlib_face_recognition_resnet_model_v1) in the form face-api.js publishes it:
/// a 7x7/2 convolution with 32 filters and a 3x3/2 max pool, then residual stages of 32, 64, 128 and 256 filters
/// whose first block ("down") halves the resolution, a global average pool and a 256 -> 128 linear map.
/// Every convolution carries dlib's affine "scale" layer (the folded batch norm): y = (conv(x) + b) * s + t.
/// On a 150 x 150 chip the feature maps are 72, 35, 17, 8, 3 (padded to 4) and 1 (padded to 2) pixels wide.
/// The weights are frozen: gradients flow to the input only, as an identity loss needs.
/// </summary>
public sealed class FaceRecognitionNetwork : nn.Module<Tensor, Tensor>
{
    public const int ChipSize = 150;
    public const int Dimensions = 128;

    // face-api.js's input normalisation: RGB 0-255 minus these means, divided by 256.
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly ScaledConv _stem;
    private readonly List<ResidualBlock> _blocks = [];
    private readonly Parameter _fc;
    private readonly Tensor _mean;

    /// <param name="weights">The manifest's weights, by name (see <see cref="TfjsWeights"/>).</param>
    /// <param name="device">Where the weights live (the default: CPU).</param>
    public FaceRecognitionNetwork(IReadOnlyDictionary<string, TfjsWeight> weights, Device? device = null)
        : base("face_recognition_net")
    {
        device ??= CPU;
        _stem = new ScaledConv("conv32_down", weights, device, stride: 2, relu: true);
        register_module("conv32_down", _stem);
        foreach ((string name, bool down) in Stages)
        {
            var block = new ResidualBlock(name, weights, device, down);
            _blocks.Add(block);
            register_module(name, block); // state names follow the manifest: conv64_down.conv1.filters ...
        }

        _fc = Frozen(weights, "fc", device, t => t); // [256, 128], used as x @ fc
        register_parameter("fc", _fc);
        _mean = tensor(MeanRgb, device: device).view(1, 3, 1, 1).DetachFromDisposeScope();
        register_buffer("mean_rgb", _mean, persistent: false);
    }

    /// <summary>Residual blocks in order: name in the manifest, and whether it halves the resolution.</summary>
    public static IReadOnlyList<(string Name, bool Down)> Stages { get; } =
    [
        ("conv32_1", false), ("conv32_2", false), ("conv32_3", false),
        ("conv64_down", true), ("conv64_1", false), ("conv64_2", false), ("conv64_3", false),
        ("conv128_down", true), ("conv128_1", false), ("conv128_2", false),
        ("conv256_down", true), ("conv256_1", false), ("conv256_2", false), ("conv256_down_out", true),
    ];

    /// <param name="chips">N x 3 x 150 x 150 RGB in [0, 1].</param>
    /// <returns>N x 128 descriptors.</returns>
    public override Tensor forward(Tensor chips)
    {
        using var scope = NewDisposeScope();
        using TorchSharp.Scalar full = 255f.ToScalar(), range = 256f.ToScalar(); // disposed here, not by the finalizer mid-call
        Tensor x = ((chips * full) - _mean) / range;
        x = _stem.call(x);
        x = F.max_pool2d(x, kernel_size: 3, stride: 2);
        foreach (ResidualBlock block in _blocks)
        {
            x = block.call(x);
        }

        x = x.mean([2, 3]);
        return x.matmul(_fc).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A frozen parameter from the manifest, reshaped from TF's layout by <paramref name="layout"/>. It is kept out
    /// of any dispose scope the caller has open: the network outlives the call that first needs it.
    /// </summary>
    internal static Parameter Frozen(IReadOnlyDictionary<string, TfjsWeight> weights, string name, Device device, Func<Tensor, Tensor> layout)
    {
        if (!weights.TryGetValue(name, out TfjsWeight? w))
        {
            throw new InvalidDataException($"The face recognition weights have no {name}.");
        }

        using Tensor raw = tensor(w.Values, w.Shape, device: device);
        var parameter = new Parameter(layout(raw).contiguous(), requires_grad: false);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>Convolution + bias + dlib's per-channel scale layer, then ReLU if asked.</summary>
    private sealed class ScaledConv : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter _filters, _bias, _scale, _shift;
        private readonly long _stride;
        private readonly bool _relu;

        public ScaledConv(string prefix, IReadOnlyDictionary<string, TfjsWeight> weights, Device device, long stride, bool relu)
            : base(prefix)
        {
            // TF stores conv filters as H x W x in x out; torch wants out x in x H x W.
            _filters = Frozen(weights, $"{prefix}/conv/filters", device, t => t.permute(3, 2, 0, 1));
            _bias = Frozen(weights, $"{prefix}/conv/bias", device, t => t.view(1, -1, 1, 1));
            _scale = Frozen(weights, $"{prefix}/scale/weights", device, t => t.view(1, -1, 1, 1));
            _shift = Frozen(weights, $"{prefix}/scale/biases", device, t => t.view(1, -1, 1, 1));
            _stride = stride;
            _relu = relu;
            register_parameter("filters", _filters);
            register_parameter("bias", _bias);
            register_parameter("scale", _scale);
            register_parameter("shift", _shift);
        }

        public override Tensor forward(Tensor x)
        {
            // Stride 1 is TF "same" (pad 1 for 3x3); the strided ones are "valid" (no padding), as in face-api.js.
            long pad = _stride == 1 ? _filters.shape[2] / 2 : 0;
            using Tensor conv = F.conv2d(x, _filters, null, strides: [_stride, _stride], padding: [pad, pad]);
            using Tensor biased = conv.Plus(_bias);
            using Tensor scaled = biased * _scale;
            Tensor y = scaled.Plus(_shift);
            return _relu ? y.relu_() : y;
        }
    }

    /// <summary>
    /// relu(conv2(conv1(x)) + shortcut). In a "down" block conv1 has stride 2 and the shortcut is a 2x2 average
    /// pool with zero channels appended; when the strided convolution comes out one pixel smaller than the pool
    /// (odd sizes), it is padded with zeros at the bottom and right, as face-api.js does.
    /// </summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly ScaledConv _conv1, _conv2;
        private readonly bool _down;

        public ResidualBlock(string prefix, IReadOnlyDictionary<string, TfjsWeight> weights, Device device, bool down)
            : base(prefix)
        {
            _conv1 = new ScaledConv($"{prefix}/conv1", weights, device, down ? 2 : 1, relu: true);
            _conv2 = new ScaledConv($"{prefix}/conv2", weights, device, 1, relu: false);
            _down = down;
            register_module("conv1", _conv1);
            register_module("conv2", _conv2);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            Tensor y = _conv2.call(_conv1.call(x));
            Tensor shortcut = x;
            if (_down)
            {
                shortcut = F.avg_pool2d(x, kernel_size: 2, stride: 2);
                long dh = shortcut.shape[2] - y.shape[2], dw = shortcut.shape[3] - y.shape[3];
                if (dh > 0 || dw > 0)
                {
                    y = F.pad(y, [0, dw, 0, dh]);
                }

                long dc = y.shape[1] - shortcut.shape[1];
                if (dc > 0)
                {
                    shortcut = F.pad(shortcut, [0, 0, 0, 0, 0, dc]);
                }
            }

            return y.Plus(shortcut).relu_().MoveToOuterDisposeScope();
        }
    }
}
