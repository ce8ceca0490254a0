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

        var effects = MergeKeyframes.Parse("""{"0": {"motionBlur": 0, "sharpenAmount": -20}, "10": {"motionBlur": 50, "sharpenAmount": 20}}""");
        Assert.Equal(25, effects.At(5, base_).MotionBlur);
        Assert.Equal(0, effects.At(5, base_).SharpenAmount);
    }

    [Fact]
    public void Keys_are_checked_before_any_frame_is_merged()
    {
        var b = new MergeSettings();
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"5": {"erodeMask": "ten"}}"""));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"5": {"mode": "raw-predict"}}""").Check(b, haveXSeg: true));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"5": {"mode": "overlay"}}""").Check(b with { Mode = "raw-predict" }, haveXSeg: true));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"5": {"maskMode": "xseg-dst"}}""").Check(b, haveXSeg: false));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"5": {"erodeMask": 900}}"""));
        MergeKeyframes.Parse("""{"5": {"maskMode": "xseg-dst", "erodeMask": 20}}""").Check(b, haveXSeg: true);
    }

    [Fact]
    public void Settings_json_loads_any_subset_and_names_an_unknown_field()
    {
        string dir = Directory.CreateTempSubdirectory("dflc-settings").FullName;
        try
        {
            string good = Path.Combine(dir, "good.json"), bad = Path.Combine(dir, "bad.json");
            File.WriteAllText(good, """{"mode": "seamless", "erodeMask": 12, "color": "mix-m"}""");
            File.WriteAllText(bad, """{"erodeMsk": 12}""");
            MergeSettings s = Engine.Jobs.JobJson.LoadRecord<MergeSettings>(good);
            Assert.Equal(("seamless", 12, "mix-m", "dst"), (s.Mode, s.ErodeMask, s.Color, s.MaskMode));
            var ex = Assert.Throws<Settings.JobValidationException>(() => Engine.Jobs.JobJson.LoadRecord<MergeSettings>(bad));
            Assert.Contains("erodeMsk", ex.Message, StringComparison.Ordinal);
            File.WriteAllText(bad, """{"erodeMask": 900}""");
            Assert.Throws<Settings.JobValidationException>(() => Engine.Jobs.JobJson.LoadRecord<MergeSettings>(bad));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Text_values_hold_from_their_key_and_bad_keys_are_usage_errors()
    {
        var keys = MergeKeyframes.Parse("""{"0": {"maskMode": "dst"}, "20": {"maskMode": "learned-prd"}}""");
        Assert.Equal("dst", keys.At(19, new MergeSettings()).MaskMode);
        Assert.Equal("learned-prd", keys.At(20, new MergeSettings()).MaskMode);
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"x": {}}"""));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"3": {"color": "rct"}}"""));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("not json"));
        Assert.Throws<Settings.JobValidationException>(() => MergeKeyframes.Parse("""{"3": {"erodeMask": 900}}"""));
    }

    [Fact]
    public void Thirty_two_thousand_keys_load_in_linear_time_and_an_oversized_file_is_refused_by_its_limit()
    {
        var json = new System.Text.StringBuilder("{");
        for (int k = 0; k < 32_000; k++)
        {
            json.Append(System.Globalization.CultureInfo.InvariantCulture, $"{(k == 0 ? "" : ",")}\"{k * 3}\": {{\"erodeMask\": {k % 200}, \"blurMask\": {k % 50}, \"mode\": \"{(k % 2 == 0 ? "overlay" : "seamless")}\"}}");
        }

        json.Append('}');
        // The best of three: the suite starts every test project at once, and one cold, crowded pass measured
        // 2.7 s where the same build takes 0.3 s; a quadratic parser (the bug this guards) takes minutes.
        TimeSpan best = TimeSpan.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            MergeKeyframes keys = MergeKeyframes.Parse(json.ToString());
            keys.Check(new MergeSettings(), haveXSeg: false);
            for (long f = 0; f < 96_000; f += 7)
            {
                _ = keys.At(f, new MergeSettings());
            }

            clock.Stop();
            Assert.Equal(32_000, keys.Count);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        Assert.True(best < TimeSpan.FromSeconds(2), $"{json.Length / 1024} kB of keys took {best.TotalSeconds:F2} s to load, check and read back");

        string file = Path.Combine(Path.GetTempPath(), $"dflc-keys-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, "{" + new string(' ', MergeKeyframes.MaxBytes) + "}");
            var ex = Assert.Throws<UserErrorException>(() => MergeKeyframes.Load(file));
            Assert.Contains(MergeKeyframes.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
