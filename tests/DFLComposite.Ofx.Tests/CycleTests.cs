using System.Text.Json;
using Xunit.Abstractions;

namespace DFLComposite.Ofx.Tests;

/// <summary>MLT's pattern (a new instance per frame, never unloaded) must not grow memory.</summary>
public sealed class CycleTests(ITestOutputHelper output)
{
    private const int Cycles = 1000;

    /// <summary>Allowed growth of resident memory between cycle 200 and cycle 1000.</summary>
    private const long AllowedGrowthKb = 2 * 1024;

    [Fact]
    public void A_thousand_instances_without_a_node_keep_memory_flat() =>
        Check(new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = OfxHarness.Shared.EmptyConfig() }, "no node");

    [Fact]
    public void A_thousand_instances_with_a_node_keep_memory_flat()
    {
        using var node = new FakeNode();
        Check(node.Environment(10), "fake node");
        Assert.Equal(Cycles, node.FrameMessages.Count);
    }

    private void Check(IDictionary<string, string> env, string label)
    {
        OfxHarness h = OfxHarness.Shared;
        // The plug-in's garbage (about 12 kB a frame: JSON, param reads) is collected when the GC's gen0 budget is
        // used up; with the default budget the first collection comes after ~1400 frames (RSS then stays at
        // ~22.6 MB), so 1000 cycles would only show the budget filling. A 1 MiB budget makes a leak visible.
        env = new Dictionary<string, string>(env) { ["DOTNET_GCgen0size"] = "100000" };
        JsonElement r = h.RunHost(["cycles", h.Bundle, "--plugin", "org.dflcomposite.faceswap", "--n", $"{Cycles}", "--size", "320x180"], env, 300_000).RootElement;
        Assert.Equal(0, r.GetProperty("failures").GetInt32());
        Assert.Equal(0, r.GetProperty("imagesNotReleased").GetInt32());
        Dictionary<int, long> rss = r.GetProperty("rssKb").EnumerateArray().ToDictionary(e => e[0].GetInt32(), e => e[1].GetInt64());
        output.WriteLine($"{label}: RSS after cycle 1: {rss[1]} kB, 200: {rss[200]} kB, 1000: {rss[Cycles]} kB (growth 200→1000: {rss[Cycles] - rss[200]} kB)");
        Assert.True(rss[Cycles] - rss[200] < AllowedGrowthKb, $"RSS grew from {rss[200]} kB to {rss[Cycles]} kB over {Cycles - 200} cycles");
    }
}
