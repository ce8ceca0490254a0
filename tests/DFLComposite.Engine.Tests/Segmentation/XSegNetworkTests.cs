using System.Diagnostics;
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
    public void A_training_step_at_64_px_takes_well_under_a_second()
    {
        // One libtorch thread, as the fixture trains: on a machine busy with other work, two OpenMP threads
        // were measured 15x slower than one (they spin waiting for a core).
        int threads = get_num_threads();
        set_num_threads(1);
        ISegmentationModel model = BuiltInPlugins.Catalog.Create<ISegmentationModel>("xseg");
        using SegmentationNetwork network = model.Create(XSegFixture.Small);
        using var optimizer = new AdamOptimizer(network.parameters(), false, 1e-3);
        using Tensor noise = rand(8, 1, 64, 64);
        using Tensor labels = noise > Scalars.S(0.5);
        using var batch = new SegmentationBatch(rand(8, 3, 64, 64), labels.to(ScalarType.Float32));
        XSegTrainer.Step(network, optimizer, batch);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 10; i++)
        {
            XSegTrainer.Step(network, optimizer, batch);
        }

        double ms = clock.Elapsed.TotalMilliseconds / 10;
        set_num_threads(threads);
        output.WriteLine($"64 px, 16 channels, batch 8: {ms:F0} ms per step");
        Assert.True(ms < 1500, $"{ms:F0} ms per step");
    }
}
