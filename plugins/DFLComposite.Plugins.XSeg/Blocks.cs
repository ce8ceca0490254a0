using DFLComposite.Engine.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DFLComposite.Plugins.XSeg;

/// <summary>
/// Filter response normalisation + thresholded linear unit (Singh and Krishnan 2019), XSeg's normaliser:
/// per-channel scaling by the mean square over the image (no batch statistics, so batch 1 at inference behaves
/// as training), then an affine and max(x, tau).
/// </summary>
internal sealed class FrnTlu : Module<Tensor, Tensor>
{
    private const double Epsilon = 1e-6;
    private readonly Parameter gamma, beta, tau;

    public FrnTlu(long channels) : base(nameof(FrnTlu))
    {
        gamma = new Parameter(ones(1, channels, 1, 1));
        beta = new Parameter(zeros(1, channels, 1, 1));
        tau = new Parameter(zeros(1, channels, 1, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // Every intermediate is disposed here, so the block is safe with or without a dispose scope around it.
        using Tensor square = x.Squared();
        using Tensor nu2 = square.mean([2, 3], keepdim: true);
        using Tensor shifted = nu2.Plus(Epsilon);
        using Tensor inverse = shifted.rsqrt();
        using Tensor normalised = x * inverse;
        using Tensor scaled = gamma * normalised;
        using Tensor affine = scaled.Plus(beta);
        return maximum(affine, tau);
    }
}

/// <summary>3x3 conv + FRN/TLU: XSeg's ConvBlock.</summary>
internal sealed class ConvBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly FrnTlu norm;

    public ConvBlock(long input, long output) : base(nameof(ConvBlock))
    {
        conv = Conv2d(input, output, 3, padding: 1);
        norm = new FrnTlu(output);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => norm.call(conv.call(x));
}

/// <summary>3x3 transposed conv, stride 2 (doubles the size) + FRN/TLU: XSeg's UpConvBlock.</summary>
internal sealed class UpConvBlock : Module<Tensor, Tensor>
{
    private readonly ConvTranspose2d conv;
    private readonly FrnTlu norm;

    public UpConvBlock(long input, long output) : base(nameof(UpConvBlock))
    {
        conv = ConvTranspose2d(input, output, 3, stride: 2, padding: 1, output_padding: 1);
        norm = new FrnTlu(output);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => norm.call(conv.call(x));
}

/// <summary>
/// Anti-aliased downsampling (Zhang 2019, "Making convolutional networks shift-invariant again"): a binomial
/// blur of the given width, then stride 2. XSeg uses it instead of strided convs so masks do not shimmer when
/// the face moves by a pixel.
/// </summary>
internal sealed class BlurPool : Module<Tensor, Tensor>
{
    private readonly long channels, padBefore, padAfter;
    private readonly Tensor filter;

    public BlurPool(long channels, int width) : base(nameof(BlurPool))
    {
        double[] taps = width switch
        {
            1 => [1],
            2 => [1, 1],
            3 => [1, 2, 1],
            4 => [1, 3, 3, 1],
            5 => [1, 4, 6, 4, 1],
            _ => throw new ArgumentOutOfRangeException(nameof(width)),
        };
        var k = new float[width * width];
        double sum = taps.Sum();
        for (int y = 0; y < width; y++)
        {
            for (int x = 0; x < width; x++)
            {
                k[(y * width) + x] = (float)(taps[y] * taps[x] / (sum * sum));
            }
        }

        this.channels = channels;
        padBefore = (width - 1) / 2;
        padAfter = width / 2;
        // A constant rebuilt from the width, so it is not registered: checkpoints need not carry it.
        filter = tensor(k, [1, 1, width, width]).expand(channels, 1, width, width).contiguous();
    }

    public override Tensor forward(Tensor x)
    {
        Tensor padded = functional.pad(x, [padBefore, padAfter, padBefore, padAfter], PaddingModes.Reflect);
        return functional.conv2d(padded, filter.to(x.device), strides: [2, 2], groups: channels);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            filter.Dispose();
        }

        base.Dispose(disposing);
    }
}
