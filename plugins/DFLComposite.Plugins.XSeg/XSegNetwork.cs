using DFLComposite.Engine.Segmentation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DFLComposite.Plugins.XSeg;

/// <summary>
/// DeepFaceLab's XSeg: a U-Net of six anti-aliased downscales (channels c, 2c, 4c, 8c, 8c, 8c; two or three
/// conv blocks each), a dense bottleneck at 1/64 of the resolution (512 units), and six transposed-conv upscales
/// that each take the matching encoder features as a skip. Output: one logit per pixel.
/// </summary>
internal sealed class XSegNetwork : SegmentationNetwork
{
    // Blur widths of the six downscales, as XSeg: wider where the features are finest.
    private static readonly int[] BlurWidths = [4, 3, 2, 2, 2, 2];
    private readonly ModuleList<Sequential> down = new();
    private readonly ModuleList<BlurPool> pools = new();
    private readonly Linear dense1, dense2;
    private readonly ModuleList<UpConvBlock> ups = new();
    private readonly ModuleList<Sequential> upConvs = new();
    private readonly Conv2d output;
    private readonly long lowest, deepest;

    public XSegNetwork(int resolution, int c) : base("xseg")
    {
        long[] widths = [c, 2 * c, 4 * c, 8 * c, 8 * c, 8 * c];
        int[] depth = [2, 2, 2, 3, 3, 3];
        long input = 3;
        for (int level = 0; level < 6; level++)
        {
            var blocks = Enumerable.Range(0, depth[level])
                .Select(i => (name: $"conv{i}", module: (Module<Tensor, Tensor>)new ConvBlock(i == 0 ? input : widths[level], widths[level])))
                .ToList();
            down.Add(Sequential(blocks));
            pools.Add(new BlurPool(widths[level], BlurWidths[level]));
            input = widths[level];
        }

        lowest = resolution / 64;
        deepest = widths[5];
        dense1 = Linear(lowest * lowest * deepest, 512);
        dense2 = Linear(512, lowest * lowest * deepest);

        // Decoder, deepest first: a transposed conv to 4c (at the four deepest levels) or to the level's width,
        // then conv blocks on [upscaled, skip] back to the level's width.
        long below = deepest;
        for (int level = 5; level >= 0; level--)
        {
            long upWidth = level >= 2 ? 4 * c : widths[level];
            ups.Add(new UpConvBlock(below, upWidth));
            long outWidth = widths[level];
            var blocks = new List<(string, Module<Tensor, Tensor>)> { ("conv0", new ConvBlock(upWidth + widths[level], outWidth)) };
            for (int i = 1; i < depth[level]; i++)
            {
                blocks.Add(($"conv{i}", new ConvBlock(outWidth, outWidth)));
            }

            upConvs.Add(Sequential(blocks));
            below = outWidth;
        }

        output = Conv2d(c, 1, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var skips = new Tensor[6];
        for (int level = 0; level < 6; level++)
        {
            x = skips[level] = down[level].call(x);
            x = pools[level].call(x);
        }

        long n = x.shape[0];
        x = dense2.call(dense1.call(x.flatten(1))).reshape(n, deepest, lowest, lowest);
        for (int i = 0; i < 6; i++)
        {
            int level = 5 - i;
            x = ups[i].call(x);
            x = upConvs[i].call(cat([x, skips[level]], 1));
        }

        return output.call(x);
    }
}
