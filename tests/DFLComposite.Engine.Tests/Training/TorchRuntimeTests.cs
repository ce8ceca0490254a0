using DFLComposite.Engine.Torch;
using DFLComposite.Engine.Training;
using DFLComposite.Tests;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Tests.Training;

// Alone: the switch is process-wide, and any XSeg step running beside these tests would turn it off.
[CollectionDefinition(nameof(TorchRuntimeTests), DisableParallelization = true)]
public sealed class TorchRuntimeCollection;

[Collection(nameof(TorchRuntimeTests))]
public sealed class TorchRuntimeTests(ITestOutputHelper output)
{
    // Shapes whose input gradient oneDNN got wrong on this project's CI machine (2 threads): 30 identical passes
    // gave 3 and 7 different gradients, some NaN. XSeg's output layer is the first.
    [Theory]
    [InlineData(8, 1, 64, 2)]
    [InlineData(8, 8, 128, 2)]
    public void Few_channel_convolutions_give_the_same_finite_gradient_every_pass_without_oneDnn(int input, int outputChannels, int size, int batch)
    {
        manual_seed(1);
        using var conv = nn.Conv2d(input, outputChannels, 3, padding: 1);
        using Tensor x = rand(batch, input, size, size).requires_grad_(true);
        using Tensor upstream = randn(batch, outputChannels, size, size);
        var gradients = new HashSet<string>();
        using (TorchRuntime.WithoutOneDnn())
        {
            Assert.False(TorchRuntime.OneDnnEnabled);
            for (int pass = 0; pass < 40; pass++)
            {
                using var scope = NewDisposeScope();
                x.grad?.zero_();
                conv.call(x).backward([upstream]);
                Assert.True(isfinite(x.grad!).all().item<bool>(), $"pass {pass}: the input gradient holds NaN or infinity");
                gradients.Add(Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.grad!.data<float>().ToArray().AsSpan())));
            }
        }

        output.WriteLine($"{input} -> {outputChannels} channels, {size} px, batch {batch}, {get_num_threads()} threads: {gradients.Count} distinct gradient(s) in 40 passes");
        Assert.Single(gradients);
    }

    [Fact]
    public void Networks_with_narrow_convolutions_are_told_apart_from_SAEHD()
    {
        using nn.Module narrow = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1), nn.Conv2d(8, 3, 1));
        Assert.True(TorchRuntime.HasFewChannelConvolutions(narrow));
        using nn.Module pointwise = nn.Sequential(nn.Conv2d(3, 64, 3, padding: 1), nn.Conv2d(64, 3, 1));
        Assert.False(TorchRuntime.HasFewChannelConvolutions(pointwise));
        using var xseg = BuiltInPlugins.Catalog.Create<Engine.Segmentation.ISegmentationModel>("xseg").Create(new Engine.Segmentation.SegmentationOptions { Resolution = 64, BaseChannels = 32 });
        Assert.True(TorchRuntime.HasFewChannelConvolutions(xseg)); // its 1-channel output layer
        ISwapModel saehd = BuiltInPlugins.Catalog.Create<ISwapModel>("saehd");
        foreach (SwapModelOptions options in new[] { TrainingFixture.Tiny64, new SwapModelOptions(), new SwapModelOptions { Archi = "liae-ud" } })
        {
            using SwapNetwork network = saehd.Create(options);
            output.WriteLine($"saehd {options.Archi} {options.Resolution}px {options.AeDims}/{options.EDims}/{options.DDims}/{options.DMaskDims}: narrow convolutions {TorchRuntime.HasFewChannelConvolutions(network)}");
            Assert.False(TorchRuntime.HasFewChannelConvolutions(network)); // keeps oneDNN's speed
        }
    }

    [Fact]
    public void OneDnn_stays_off_until_the_last_overlapping_scope_ends()
    {
        Assert.True(TorchRuntime.OneDnnEnabled);
        IDisposable first = TorchRuntime.WithoutOneDnn();
        IDisposable second = TorchRuntime.WithoutOneDnn();
        first.Dispose();
        first.Dispose(); // a second Dispose must not end the other scope
        Assert.False(TorchRuntime.OneDnnEnabled);
        second.Dispose();
        Assert.True(TorchRuntime.OneDnnEnabled);
    }
}
