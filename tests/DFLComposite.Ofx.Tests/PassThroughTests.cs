using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>With no node running, every frame passes through bit for bit and the host is told why.</summary>
public sealed class PassThroughTests
{
    private static OfxHarness H => OfxHarness.Shared;

    internal static JsonElement Render(IDictionary<string, string> env, params string[] args) =>
        H.RunHost(["render", H.Bundle, .. args], env).RootElement;

    private Dictionary<string, string> NoNode() => new() { ["XDG_CONFIG_HOME"] = H.EmptyConfig() };

    [Theory]
    [InlineData("byte", "RGBA", false)]
    [InlineData("short", "RGBA", false)]
    [InlineData("float", "RGBA", false)]
    [InlineData("byte", "RGB", false)]
    [InlineData("short", "RGB", false)]
    [InlineData("float", "RGB", false)]
    [InlineData("byte", "RGBA", true)]
    [InlineData("short", "RGBA", true)]
    [InlineData("float", "RGBA", true)]
    public void Frames_pass_through_bit_exact_and_a_persistent_message_names_the_cause(string depth, string components, bool mlt)
    {
        string[] args = ["--plugin", "org.dflcomposite.faceswap", "--depth", depth, "--components", components, "--frames", "0-2", "--size", "67x41"];
        JsonElement r = Render(NoNode(), mlt ? [.. args, "--mlt"] : args);
        JsonElement[] frames = [.. r.GetProperty("frames").EnumerateArray()];
        Assert.Equal(3, frames.Length);
        Assert.All(frames, f =>
        {
            Assert.Equal(0, f.GetProperty("status").GetInt32());
            Assert.True(f.GetProperty("identical").GetBoolean(), f.ToString());
        });
        Assert.Equal(0, r.GetProperty("imagesNotReleased").GetInt32());
        JsonElement[] messages = [.. r.GetProperty("messages").EnumerateArray()];
        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            Assert.True(m.GetProperty("persistent").GetBoolean());
            Assert.Equal("OfxMessageError", m.GetProperty("type").GetString());
            Assert.Contains("not running", m.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains("dflc serve", m.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains("node.json", m.GetProperty("text").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Face_matte_passes_through_too()
    {
        JsonElement r = Render(NoNode(), "--plugin", "org.dflcomposite.facematte", "--depth", "float", "--frames", "4-5", "--mlt");
        Assert.All(r.GetProperty("frames").EnumerateArray(), f => Assert.True(f.GetProperty("identical").GetBoolean()));
        Assert.Equal("OfxImageAlphaUnPremultiplied", RenderStd().GetProperty("clipPreferences").GetProperty("OfxImageEffectPropPreMultiplication")[0].GetString());

        JsonElement RenderStd() => Render(NoNode(), "--plugin", "org.dflcomposite.facematte", "--frames", "0");
    }

    [Fact]
    public void Without_persistent_messages_the_fault_is_said_once_not_per_frame()
    {
        JsonElement r = Render(NoNode(), "--plugin", "org.dflcomposite.faceswap", "--frames", "0-4", "--no-persistent");
        JsonElement[] messages = [.. r.GetProperty("messages").EnumerateArray()];
        Assert.Single(messages);
        Assert.False(messages[0].GetProperty("persistent").GetBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_output_smaller_than_the_region_of_definition_gets_its_window(bool mlt)
    {
        string[] args = ["--plugin", "org.dflcomposite.faceswap", "--size", "80x60", "--bounds", "10,5,50,33", "--frames", "1", "--depth", "float"];
        JsonElement r = Render(NoNode(), mlt ? [.. args, "--mlt"] : args);
        JsonElement f = r.GetProperty("frames")[0];
        Assert.Equal(0, f.GetProperty("status").GetInt32());
        Assert.True(f.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public void Render_scale_below_one_and_draft_renders_pass_through()
    {
        JsonElement r = Render(NoNode(), "--plugin", "org.dflcomposite.faceswap", "--size", "32x18", "--scale", "0.5", "--draft", "--frames", "0-1");
        Assert.All(r.GetProperty("frames").EnumerateArray(), f => Assert.True(f.GetProperty("identical").GetBoolean()));
    }

    [Theory]
    [InlineData("byte")]
    [InlineData("float")]
    public void A_png_frame_renders_at_byte_and_float_depth(string depth)
    {
        string dir = Directory.CreateTempSubdirectory("dflc-ofx-png-").FullName;
        string png = Path.Combine(H.RepoRoot, "installer", "ofx", "org.dflcomposite.faceswap.png");
        JsonElement r = Render(NoNode(), "--plugin", "org.dflcomposite.faceswap", "--input", png, "--depth", depth, "--frames", "0", "--out-dir", dir, "--mlt");
        Assert.True(r.GetProperty("frames")[0].GetProperty("identical").GetBoolean());
        byte[] output = File.ReadAllBytes(Path.Combine(dir, "output_0.raw"));
        Assert.Equal(64 * 64 * 4 * (depth == "byte" ? 1 : 4), output.Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "input_0.raw")), output);
        if (depth == "byte")
        {
            Assert.True(File.Exists(Path.Combine(dir, "output_0.png")));
        }
    }
}
