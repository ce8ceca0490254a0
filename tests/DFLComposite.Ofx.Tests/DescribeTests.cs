using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>What a host learns from Load, Describe and DescribeInContext.</summary>
public sealed class DescribeTests
{
    private const string Swap = "org.dflcomposite.faceswap";
    private const string Matte = "org.dflcomposite.facematte";

    private static readonly Lazy<JsonDocument> Description = new(() =>
        OfxHarness.Shared.RunHost(["describe", OfxHarness.Shared.Bundle], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = OfxHarness.Shared.EmptyConfig() }));

    private static JsonElement Plugin(string id) =>
        Description.Value.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    private static string[] Strings(JsonElement props, string name) => [.. props.GetProperty(name).EnumerateArray().Select(v => v.GetString()!)];

    private static double Number(JsonElement props, string name, int index = 0) => props.GetProperty(name)[index].GetDouble();

    [Fact]
    public void Lists_the_two_plugins_with_ids_a_host_can_keep()
    {
        JsonElement root = Description.Value.RootElement;
        Assert.Equal(2, root.GetProperty("count").GetInt32());
        string[] ids = [.. root.GetProperty("plugins").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
        Assert.Equal([Swap, Matte], ids);
        Assert.All(ids, id => Assert.DoesNotContain(':', id));
        Assert.All(root.GetProperty("plugins").EnumerateArray(), p =>
        {
            Assert.Equal("OfxImageEffectPluginAPI", p.GetProperty("api").GetString());
            Assert.Equal(1, p.GetProperty("apiVersion").GetInt32());
        });
    }

    [Theory]
    [InlineData(Swap, "Face Swap")]
    [InlineData(Matte, "Face Matte")]
    public void Load_and_describe_are_idempotent_and_declare_what_hosts_need(string id, string label)
    {
        JsonElement p = Plugin(id);
        Assert.Equal(0, p.GetProperty("load").GetInt32());
        Assert.Equal(0, p.GetProperty("load2").GetInt32());
        Assert.Equal(0, p.GetProperty("describe").GetInt32());
        Assert.Equal(0, p.GetProperty("describe2").GetInt32());
        JsonElement props = p.GetProperty("props");
        Assert.Equal(label, Strings(props, "OfxPropLabel")[0]);
        Assert.Equal(["OfxImageEffectContextFilter", "OfxImageEffectContextGeneral"], Strings(props, "OfxImageEffectPropSupportedContexts"));
        Assert.Equal(["OfxBitDepthByte", "OfxBitDepthShort", "OfxBitDepthFloat"], Strings(props, "OfxImageEffectPropSupportedPixelDepths"));
        Assert.Equal("OfxImageEffectRenderInstanceSafe", Strings(props, "OfxImageEffectPluginRenderThreadSafety")[0]);
        Assert.Equal(0, Number(props, "OfxImageEffectPropSupportsTiles"));
        Assert.Equal(0, Number(props, "OfxImageEffectPropSupportsMultiResolution"));
        foreach (JsonProperty context in p.GetProperty("contexts").EnumerateObject())
        {
            Assert.Equal(0, context.Value.GetProperty("status").GetInt32());
            JsonElement clips = context.Value.GetProperty("clips");
            foreach (string clip in new[] { "Source", "Output" })
            {
                Assert.Equal(["OfxImageComponentRGBA", "OfxImageComponentRGB"], Strings(clips.GetProperty(clip), "OfxImageEffectPropSupportedComponents"));
            }
        }
    }

    [Theory]
    [InlineData(Swap)]
    [InlineData(Matte)]
    public void Numbers_have_both_a_range_and_a_display_range(string id)
    {
        JsonElement parameters = Plugin(id).GetProperty("contexts").GetProperty("OfxImageEffectContextFilter").GetProperty("params");
        int numbers = 0;
        foreach (JsonProperty param in parameters.EnumerateObject())
        {
            string type = param.Value.GetProperty("type").GetString()!;
            if (type is not ("OfxParamTypeInteger" or "OfxParamTypeDouble"))
            {
                continue;
            }

            numbers++;
            JsonElement props = param.Value.GetProperty("props");
            Assert.Equal(Number(props, "OfxParamPropMin"), Number(props, "OfxParamPropDisplayMin"));
            Assert.Equal(Number(props, "OfxParamPropMax"), Number(props, "OfxParamPropDisplayMax"));
            Assert.True(Number(props, "OfxParamPropMin") < Number(props, "OfxParamPropMax"), param.Name);
            double d = Number(props, "OfxParamPropDefault");
            Assert.InRange(d, Number(props, "OfxParamPropMin"), Number(props, "OfxParamPropMax"));
        }

        Assert.True(numbers >= 5);
    }

    [Fact]
    public void Face_swap_declares_the_merge_settings_with_their_ranges_defaults_and_choice_order()
    {
        JsonElement parameters = Plugin(Swap).GetProperty("contexts").GetProperty("OfxImageEffectContextGeneral").GetProperty("params");
        void Range(string name, double min, double max, double def)
        {
            JsonElement props = parameters.GetProperty(name).GetProperty("props");
            Assert.Equal((min, max, def), (Number(props, "OfxParamPropMin"), Number(props, "OfxParamPropMax"), Number(props, "OfxParamPropDefault")));
        }

        void Choice(string name, string[] options, int def)
        {
            JsonElement props = parameters.GetProperty(name).GetProperty("props");
            Assert.Equal("OfxParamTypeChoice", parameters.GetProperty(name).GetProperty("type").GetString());
            Assert.Equal(options, Strings(props, "OfxParamPropChoiceOption"));
            Assert.Equal(def, Number(props, "OfxParamPropDefault"));
        }

        Choice("mode", ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb"], 0);
        Choice("maskMode", ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "learned-prd+learned-dst", "xseg-prd", "xseg-dst", "xseg-prd*xseg-dst", "learned-prd*learned-dst*xseg-prd*xseg-dst"], 1);
        Choice("color", ["rct", "lct", "mkl", "mkl-m", "idt", "idt-m", "sot-m", "mix-m", "none"], 0);
        Choice("sharpen", ["box", "gaussian"], 1);
        Range("erodeMask", -400, 400, 0);
        Range("blurMask", 0, 400, 0);
        Range("faceScale", -50, 50, 0);
        Range("motionBlur", 0, 100, 0);
        Range("sharpenAmount", -100, 100, 0);
        Range("denoise", 0, 500, 0);
        Range("bicubicDegrade", 0, 100, 0);
        Range("colorDegrade", 0, 100, 0);
        Range("smooth", 0, 10, 1);
        Range("detectEvery", 1, 1000, 10);
        Assert.Equal("OfxParamTypeDouble", parameters.GetProperty("smooth").GetProperty("type").GetString());
        Assert.Equal("OfxParamTypeBoolean", parameters.GetProperty("maskToAlpha").GetProperty("type").GetString());
        Assert.Equal("OfxParamTypePushButton", parameters.GetProperty("reloadModel").GetProperty("type").GetString());
        foreach (string path in new[] { "workspace", "xseg", "reference" })
        {
            Assert.Equal("OfxParamTypeString", parameters.GetProperty(path).GetProperty("type").GetString());
        }

        Assert.Equal("OfxParamStringIsFilePath", Strings(parameters.GetProperty("reference").GetProperty("props"), "OfxParamPropStringMode")[0]);
        Assert.False(parameters.TryGetProperty("showMatte", out _));
    }

    [Fact]
    public void Parameters_are_grouped_in_pages()
    {
        JsonElement parameters = Plugin(Swap).GetProperty("contexts").GetProperty("OfxImageEffectContextFilter").GetProperty("params");
        string[] pages = [.. parameters.EnumerateObject().Where(p => p.Value.GetProperty("type").GetString() == "OfxParamTypePage").Select(p => p.Name)];
        Assert.Equal(["pageModel", "pageBlend", "pageFinish", "pageTracking", "pageOutput"], pages);
        string[] onPages = [.. pages.SelectMany(p => Strings(parameters.GetProperty(p).GetProperty("props"), "OfxParamPropPageChild"))];
        string[] values = [.. parameters.EnumerateObject().Where(p => p.Value.GetProperty("type").GetString() is not ("OfxParamTypePage" or "OfxParamTypeGroup")).Select(p => p.Name)];
        Assert.Equal(values.Order(), onPages.Order());
    }

    [Fact]
    public void Face_matte_has_show_matte_and_no_swap_only_settings()
    {
        JsonElement parameters = Plugin(Matte).GetProperty("contexts").GetProperty("OfxImageEffectContextFilter").GetProperty("params");
        Assert.Equal("OfxParamTypeBoolean", parameters.GetProperty("showMatte").GetProperty("type").GetString());
        foreach (string swapOnly in new[] { "mode", "color", "maskToAlpha", "workspace" })
        {
            Assert.False(parameters.TryGetProperty(swapOnly, out _), swapOnly);
        }

        Assert.True(parameters.TryGetProperty("xseg", out _));
    }
}
