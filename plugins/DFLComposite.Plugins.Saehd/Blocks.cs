using DFLComposite.Engine.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DFLComposite.Plugins.Saehd;

/// <summary>Conv k5 stride 2 + LeakyReLU(0.1): DeepFaceLab's Downscale.</summary>
internal sealed class Downscale : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;

    public Downscale(long input, long output, long kernel = 5) : base(nameof(Downscale))
    {
        _conv = Conv2d(input, output, kernel, stride: 2, padding: kernel / 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using Tensor c = _conv.call(x);
        return c.LeakyRelu(0.1);
    }
}

/// <summary>Conv to 4x channels + LeakyReLU(0.1) + depth-to-space: DeepFaceLab's Upscale (doubles the size).</summary>
internal sealed class Upscale : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;

    public Upscale(long input, long output, long kernel = 3) : base(nameof(Upscale))
    {
        _conv = Conv2d(input, output * 4, kernel, padding: kernel / 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using Tensor c = _conv.call(x);
        using Tensor a = c.LeakyRelu(0.1);
        return functional.pixel_shuffle(a, 2);
    }
}

/// <summary>Two 3x3 convs with a skip: DeepFaceLab's ResidualBlock.</summary>
internal sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1, _conv2;

    public ResidualBlock(long channels) : base(nameof(ResidualBlock))
    {
        _conv1 = Conv2d(channels, channels, 3, padding: 1);
        _conv2 = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using Tensor c = _conv1.call(x);
        using Tensor a = c.LeakyRelu(0.2);
        using Tensor b = _conv2.call(a);
        using Tensor sum = x.Plus(b);
        return sum.LeakyRelu(0.2);
    }
}

/// <summary>Four Downscales (e, 2e, 4e, 8e channels) and a flatten; -u adds pixel normalisation.</summary>
internal sealed class Encoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> _down = new();
    private readonly bool _pixelNorm;

    public Encoder(long eDims, bool pixelNorm) : base(nameof(Encoder))
    {
        long input = 3;
        for (int i = 0; i < 4; i++)
        {
            long output = eDims << i;
            _down.Add(new Downscale(input, output));
            input = output;
        }

        _pixelNorm = pixelNorm;
        RegisterComponents();
    }

    public static long OutChannels(long eDims) => eDims * 8;

    public override Tensor forward(Tensor x)
    {
        Tensor h = Stages.Run(_down, x);
        Tensor flat = h.flatten(1);
        h.Dispose();
        if (!_pixelNorm)
        {
            return flat;
        }

        using Tensor square = flat * flat;
        using Tensor meanSquare = square.mean([1], keepdim: true);
        using Tensor shifted = meanSquare.Plus(1e-6);
        using Tensor norm = shifted.rsqrt();
        using (flat)
        {
            return flat * norm;
        }
    }
}

/// <summary>Dense to the bottleneck, dense back out to a small feature map, one Upscale: DeepFaceLab's Inter.</summary>
internal sealed class Inter : Module<Tensor, Tensor>
{
    private readonly Linear _dense1, _dense2;
    private readonly Upscale _up;
    private readonly long _outChannels, _lowest;

    public Inter(long inFeatures, long aeDims, long outChannels, long lowest) : base(nameof(Inter))
    {
        _dense1 = Linear(inFeatures, aeDims);
        _dense2 = Linear(aeDims, lowest * lowest * outChannels);
        _up = new Upscale(outChannels, outChannels);
        _outChannels = outChannels;
        _lowest = lowest;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using Tensor a = _dense1.call(x);
        using Tensor b = _dense2.call(a);
        using Tensor c = b.view(-1, _outChannels, _lowest, _lowest);
        return _up.call(c);
    }
}

/// <summary>
/// Three Upscale+Residual stages to the image (sigmoid, 3 channels) and three Upscales to the mask (sigmoid,
/// 1 channel); -d adds one more Upscale to each so the output is twice the decoder's native size.
/// </summary>
internal sealed class Decoder : Module<Tensor, (Tensor Image, Tensor Mask)>
{
    private readonly ModuleList<Module<Tensor, Tensor>> _image = new();
    private readonly ModuleList<Module<Tensor, Tensor>> _mask = new();
    private readonly Conv2d _outImage, _outMask;

    public Decoder(long input, long dDims, long dMaskDims, bool doubleRes) : base(nameof(Decoder))
    {
        long ch = input;
        foreach (long m in new long[] { 8, 4, 2 })
        {
            _image.Add(new Upscale(ch, dDims * m));
            _image.Add(new ResidualBlock(dDims * m));
            ch = dDims * m;
        }

        if (doubleRes)
        {
            _image.Add(new Upscale(ch, dDims));
            ch = dDims;
        }

        _outImage = Conv2d(ch, 3, 1);
        long mch = input;
        foreach (long m in new long[] { 8, 4, 2 })
        {
            _mask.Add(new Upscale(mch, dMaskDims * m));
            mch = dMaskDims * m;
        }

        if (doubleRes)
        {
            _mask.Add(new Upscale(mch, dMaskDims));
            mch = dMaskDims;
        }

        _outMask = Conv2d(mch, 1, 1);
        RegisterComponents();
    }

    public override (Tensor Image, Tensor Mask) forward(Tensor x)
    {
        using Tensor img = Stages.Run(_image, x);
        using Tensor msk = Stages.Run(_mask, x);
        using Tensor imgOut = _outImage.call(img);
        using Tensor mskOut = _outMask.call(msk);
        return (functional.sigmoid(imgOut), functional.sigmoid(mskOut));
    }

    /// <summary>The image branch alone (no mask), for swaps whose mask comes from elsewhere.</summary>
    public Tensor Image(Tensor x)
    {
        using Tensor img = Stages.Run(_image, x);
        using Tensor imgOut = _outImage.call(img);
        return functional.sigmoid(imgOut);
    }
}

/// <summary>Runs modules one after another, freeing each intermediate result as soon as the next exists.</summary>
internal static class Stages
{
    public static Tensor Run(IEnumerable<Module<Tensor, Tensor>> stages, Tensor x)
    {
        Tensor h = x;
        foreach (var s in stages)
        {
            Tensor next = s.call(h);
            if (!ReferenceEquals(h, x))
            {
                h.Dispose();
            }

            h = next;
        }

        return ReferenceEquals(h, x) ? h.alias() : h;
    }
}
