using DFLComposite.Engine.Merge;

namespace DFLComposite.Engine.Tests.Merge;

public sealed class KeyframeTests
{
    [Fact]
    public void A_value_keyed_at_frames_0_and_10_is_halfway_at_frame_5()
    {
        var keys = MergeKeyframes.Parse("""{"0": {"erodeMask": 10, "blurMask": 0}, "10": {"erodeMask": 30, "blurMask": 100}}""");
        var base_ = new MergeSettings();
        Assert.Equal(20, keys.At(5, base_).ErodeMask);
        Assert.Equal(50, keys.At(5, base_).BlurMask);
        Assert.Equal(10, keys.At(0, base_).ErodeMask);
        Assert.Equal(30, keys.At(10, base_).ErodeMask);
        Assert.Equal(30, keys.At(500, base_).ErodeMask); // held after the last key
        Assert.Equal(12, keys.At(1, base_).ErodeMask);
        Assert.Equal(0, keys.At(5, base_).FaceScale); // unkeyed values keep the base settings
    }

    [Fact]
    public void Text_values_hold_from_their_key_and_bad_keys_are_usage_errors()
    {
        var keys = MergeKeyframes.Parse("""{"0": {"maskMode": "dst"}, "20": {"maskMode": "learned-prd"}}""");
        Assert.Equal("dst", keys.At(19, new MergeSettings()).MaskMode);
        Assert.Equal("learned-prd", keys.At(20, new MergeSettings()).MaskMode);
        Assert.Throws<UserErrorException>(() => MergeKeyframes.Parse("""{"x": {}}"""));
        Assert.Throws<UserErrorException>(() => MergeKeyframes.Parse("""{"3": {"color": "rct"}}"""));
        Assert.Throws<UserErrorException>(() => MergeKeyframes.Parse("not json"));
        Assert.Throws<UserErrorException>(() => MergeKeyframes.Parse("""{"3": {"erodeMask": 900}}""").At(3, new MergeSettings()));
    }
}
