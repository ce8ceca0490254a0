using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>The client side of docs/ofx-frame-protocol.md against a fake node.</summary>
public sealed class NodeProtocolTests
{
    private const string Swap = "org.dflcomposite.faceswap";

    private static JsonElement Render(FakeNode node, double timeout, params string[] args) =>
        PassThroughTests.Render(node.Environment(timeout), args);

    private static string[] Texts(JsonElement r) => [.. r.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];

    [Theory]
    [InlineData("byte", "RGBA", false)]
    [InlineData("short", "RGB", false)]
    [InlineData("float", "RGBA", true)]
    public void Frames_go_to_the_node_through_shared_memory_and_its_output_comes_back(string depth, string components, bool mlt)
    {
        using var node = new FakeNode();
        string dir = Directory.CreateTempSubdirectory("dflc-ofx-node-out-").FullName;
        string[] args = ["--plugin", Swap, "--depth", depth, "--components", components, "--size", "37x23", "--frames", "0-1", "--out-dir", dir];
        JsonElement r = Render(node, 10, mlt ? [.. args, "--mlt"] : args);
        foreach (JsonElement f in r.GetProperty("frames").EnumerateArray())
        {
            Assert.Equal(0, f.GetProperty("status").GetInt32());
            int t = f.GetProperty("time").GetInt32();
            byte[] input = File.ReadAllBytes(Path.Combine(dir, $"input_{t}.raw"));
            byte[] output = File.ReadAllBytes(Path.Combine(dir, $"output_{t}.raw"));
            Assert.Equal(input.Select(b => (byte)~b), output);
        }

        Assert.Empty(r.GetProperty("messages").EnumerateArray());
        using (JsonDocument hello = JsonDocument.Parse(node.Hellos.First()))
        {
            Assert.Equal("test-token-123", hello.RootElement.GetProperty("token").GetString());
            Assert.Equal(OfxHarness.Shared.Binary, hello.RootElement.GetProperty("bundle").GetString());
        }

        JsonElement m = node.Frames()[0];
        int bpp = (components == "RGBA" ? 4 : 3) * (depth == "byte" ? 1 : depth == "short" ? 2 : 4);
        Assert.Equal("frame", m.GetProperty("op").GetString());
        Assert.Equal((37, 23, depth, components), (m.GetProperty("width").GetInt32(), m.GetProperty("height").GetInt32(), m.GetProperty("depth").GetString(), m.GetProperty("components").GetString()));
        Assert.Equal(37 * bpp, m.GetProperty("rowBytes").GetInt32());
        Assert.Equal(37 * 23 * bpp, m.GetProperty("outputOffset").GetInt32());
        Assert.Equal("swap", m.GetProperty("effect").GetString());
        Assert.StartsWith("/dev/shm/dflc-ofx-", m.GetProperty("shm").GetString(), StringComparison.Ordinal);
        JsonElement settings = m.GetProperty("settings");
        Assert.Equal("overlay", settings.GetProperty("mode").GetString());
        Assert.Equal("dst", settings.GetProperty("maskMode").GetString());
        Assert.Equal(10, settings.GetProperty("detectEvery").GetInt32());
        Assert.Equal(1.0, settings.GetProperty("smooth").GetDouble());
        Assert.False(File.Exists(m.GetProperty("shm").GetString()), "the shared-memory file outlived the host process");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Settings_are_read_at_the_frames_time_so_keyframes_animate_them(bool mlt)
    {
        using var node = new FakeNode();
        string[] args = ["--plugin", Swap, "--frames", "0-10", "--key", "blurMask@0=0", "--key", "blurMask@10=100", "--key", "smooth@0=0", "--key", "smooth@10=5",
            "--param", "mode=2", "--param", "workspace=/models/alice", "--param", "maskToAlpha=1"];
        Render(node, 10, mlt ? [.. args, "--mlt"] : args);
        JsonElement[] frames = node.Frames();
        Assert.Equal(11, frames.Length);
        JsonElement five = frames.Single(f => f.GetProperty("frame").GetDouble() == 5);
        Assert.Equal(50, five.GetProperty("settings").GetProperty("blurMask").GetInt32());
        Assert.Equal(2.5, five.GetProperty("settings").GetProperty("smooth").GetDouble(), 6);
        Assert.Equal("seamless", five.GetProperty("settings").GetProperty("mode").GetString());
        Assert.Equal("/models/alice", five.GetProperty("workspace").GetString());
        Assert.True(five.GetProperty("maskToAlpha").GetBoolean());
        Assert.Equal(100, frames.Single(f => f.GetProperty("frame").GetDouble() == 10).GetProperty("settings").GetProperty("blurMask").GetInt32());
        string[] sessions = [.. frames.Select(f => f.GetProperty("session").GetString()!).Distinct()];
        Assert.Equal(mlt ? 11 : 1, sessions.Length);
    }

    [Fact]
    public void Face_matte_sends_its_effect_show_matte_and_render_scale()
    {
        using var node = new FakeNode();
        Render(node, 10, "--plugin", "org.dflcomposite.facematte", "--frames", "3", "--param", "showMatte=1", "--param", "xseg=/models/xseg", "--scale", "0.5", "--draft");
        JsonElement m = node.Frames().Single();
        Assert.Equal("matte", m.GetProperty("effect").GetString());
        Assert.True(m.GetProperty("showMatte").GetBoolean());
        Assert.True(m.GetProperty("draft").GetBoolean());
        Assert.Equal(0.5, m.GetProperty("renderScale")[0].GetDouble());
        Assert.Equal("/models/xseg", m.GetProperty("xseg").GetString());
        Assert.False(m.GetProperty("settings").TryGetProperty("mode", out _));
    }

    [Fact]
    public void Reload_model_marks_the_next_frame()
    {
        using var node = new FakeNode();
        Render(node, 10, "--plugin", Swap, "--frames", "0-1", "--press", "reloadModel");
        JsonElement[] frames = node.Frames();
        Assert.True(frames[0].GetProperty("reload").GetBoolean());
        Assert.False(frames[1].GetProperty("reload").GetBoolean());
    }

    [Fact]
    public void An_error_reply_passes_the_frame_through_with_the_nodes_reason()
    {
        using var node = new FakeNode(_ => NodeBehaviour.Error);
        JsonElement r = Render(node, 10, "--plugin", Swap, "--frames", "0", "--depth", "short");
        Assert.True(r.GetProperty("frames")[0].GetProperty("identical").GetBoolean());
        Assert.Contains("no model in /nowhere: train one with dflc train -w /nowhere", Texts(r).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_node_times_out_the_frame_and_the_next_frame_retries()
    {
        using var node = new FakeNode(n => n == 0 ? NodeBehaviour.Hang : NodeBehaviour.Invert);
        JsonElement r = Render(node, 1, "--plugin", Swap, "--frames", "0-1");
        JsonElement[] frames = [.. r.GetProperty("frames").EnumerateArray()];
        Assert.True(frames[0].GetProperty("identical").GetBoolean());
        Assert.False(frames[1].GetProperty("identical").GetBoolean());
        Assert.Contains("did not answer frame 0 within 1 s", Texts(r).Single(), StringComparison.Ordinal);
        Assert.Equal(1, r.GetProperty("clears").GetInt32());
        Assert.Equal(2, node.Connections);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_connection_lost_mid_frame_passes_the_frame_through_and_the_next_frame_reconnects(bool mlt)
    {
        // Messages 1 and 2 are frame 1 and its one retry on a fresh connection; both are cut off. Message 3 is frame 2.
        using var node = new FakeNode(n => n is 1 or 2 ? NodeBehaviour.Close : NodeBehaviour.Invert);
        string[] args = ["--plugin", Swap, "--frames", "0-2", "--depth", "float"];
        JsonElement r = Render(node, 5, mlt ? [.. args, "--mlt"] : args);
        bool[] identical = [.. r.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("identical").GetBoolean())];
        Assert.Equal([false, true, false], identical);
        Assert.Contains("closed the connection during frame 1", Texts(r).Single(), StringComparison.Ordinal);
        Assert.Equal(3, node.Connections);
    }

    [Fact]
    public void A_node_that_exits_mid_sequence_passes_the_rest_through_and_says_where_it_was()
    {
        using var node = new FakeNode(n => n == 1 ? NodeBehaviour.Die : NodeBehaviour.Invert);
        JsonElement r = Render(node, 5, "--plugin", Swap, "--frames", "0-3", "--mlt");
        bool[] identical = [.. r.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("identical").GetBoolean())];
        Assert.Equal([false, true, true, true], identical);
        string[] texts = Texts(r);
        Assert.Equal(3, texts.Length);
        Assert.All(texts, t => Assert.Contains(node.SocketPath, t, StringComparison.Ordinal));
        Assert.All(r.GetProperty("frames").EnumerateArray(), f => Assert.Equal(0, f.GetProperty("status").GetInt32()));
    }

    [Fact]
    public void A_wrong_token_is_reported()
    {
        using var node = new FakeNode(token: "stale", acceptToken: "fresh");
        JsonElement r = Render(node, 5, "--plugin", Swap, "--frames", "0");
        Assert.True(r.GetProperty("frames")[0].GetProperty("identical").GetBoolean());
        Assert.Contains("refused the connection: bad token", Texts(r).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_json_pointing_at_a_dead_socket_names_it()
    {
        using var node = new FakeNode();
        File.Delete(node.SocketPath);
        JsonElement r = Render(node, 5, "--plugin", Swap, "--frames", "0");
        Assert.True(r.GetProperty("frames")[0].GetProperty("identical").GetBoolean());
        string text = Texts(r).Single();
        Assert.Contains(node.SocketPath, text, StringComparison.Ordinal);
        Assert.Contains("does not accept connections", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_json_the_client_cannot_use_is_a_message_not_a_failed_render()
    {
        string config = OfxHarness.Shared.EmptyConfig();
        Directory.CreateDirectory(Path.Combine(config, "dflcomposite"));
        File.WriteAllText(Path.Combine(config, "dflcomposite", "node.json"), $"{{\"frameSocket\":\"/tmp/{new string('x', 200)}.sock\",\"pid\":1}}");
        File.WriteAllText(Path.Combine(config, "dflcomposite", "token"), "t");
        JsonElement r = PassThroughTests.Render(new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config }, "--plugin", Swap, "--frames", "0");
        JsonElement f = r.GetProperty("frames")[0];
        Assert.Equal(0, f.GetProperty("status").GetInt32());
        Assert.True(f.GetProperty("identical").GetBoolean());
        Assert.Contains("OPENFX_NET_LOG", Texts(r).Single(), StringComparison.Ordinal);
    }
}
