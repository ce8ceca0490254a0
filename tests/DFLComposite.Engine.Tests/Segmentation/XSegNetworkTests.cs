using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Torch;
using DFLComposite.Engine.Training;
using DFLComposite.Tests;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Tests.Segmentation;

public sealed class XSegNetworkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(64, 8)]
    [InlineData(128, 8)]
    [InlineData(256, 32)]
    public void The_xseg_network_gives_one_logit_per_pixel(int resolution, int channels)
    {
        ISegmentationModel model = BuiltInPlugins.Catalog.Create<ISegmentationModel>("xseg");
        using SegmentationNetwork network = model.Create(new SegmentationOptions { Resolution = resolution, BaseChannels = channels });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor logits = network.call(rand(2, 3, resolution, resolution));
        Assert.Equal([2L, 1, resolution, resolution], logits.shape);
        output.WriteLine($"{resolution} px, {channels} channels: {network.parameters().Sum(p => p.numel()):N0} parameters");
    }

    [Fact]
    public void Resolutions_that_do_not_divide_by_64_are_refused_by_name()
    {
        ISegmentationModel model = BuiltInPlugins.Catalog.Create<ISegmentationModel>("xseg");
        var ex = Assert.Throws<Settings.JobValidationException>(() => model.Validate(new SegmentationOptions { Resolution = 96 }));
        Assert.Equal("model.resolution", Assert.Single(ex.Errors).Path);
        Assert.Contains("96", ex.Message);
    }

    [Fact]
    public void Two_networks_from_the_same_weights_take_the_same_steps()
    {
        // oneDNN's wrong input gradients (see TorchRuntime) made two such runs differ on 2 threads, now and then
        // with NaN. Data from System.Random and weights copied, not libtorch's global generator, which tests running
        // beside this one draw from too.
        ISegmentationModel model = BuiltInPlugins.Catalog.Create<ISegmentationModel>("xseg");
        var options = new SegmentationOptions { Resolution = 64, BaseChannels = 8 };
        using SegmentationNetwork first = model.Create(options), second = model.Create(options);
        using (no_grad())
        {
            foreach (var (from, to) in first.parameters().Zip(second.parameters()))
            {
                to.copy_(from);
            }
        }

        var random = new Random(7);
        float[] pixels = Enumerable.Range(0, 4 * 3 * 64 * 64).Select(_ => random.NextSingle()).ToArray();
        float[] mask = Enumerable.Range(0, 4 * 64 * 64).Select(_ => random.Next(2) * 1f).ToArray();
        float[] Train(SegmentationNetwork network)
        {
            using var optimizer = new AdamOptimizer(network.parameters(), false, 1e-3);
            using var batch = new SegmentationBatch(tensor(pixels, [4, 3, 64, 64]), tensor(mask, [4, 1, 64, 64]));
            for (int step = 0; step < 3; step++)
            {
                float loss = XSegTrainer.Step(network, optimizer, batch);
                Assert.True(float.IsFinite(loss), $"step {step}: loss {loss}");
            }

            return network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }

        float[] a = Train(first), b = Train(second);
        output.WriteLine($"{a.Length:N0} weights, {get_num_threads()} threads, {a.Zip(b).Count(p => p.First != p.Second)} differ");
        Assert.Equal(a, b);
    }
}
