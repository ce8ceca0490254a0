using System.Text.Json;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// Per-frame merge settings from a few keys (DeepFaceLab can only set values frame by frame, by hand):
/// a JSON object of frame number -> partial settings, e.g. <c>{"0": {"erodeMask": 0}, "120": {"erodeMask": 40, "blurMask": 20}}</c>.
/// Numbers (erodeMask, blurMask, faceScale, motionBlur, sharpenAmount, denoise, bicubicDegrade, colorDegrade) are interpolated linearly between the keys around a frame and held
/// before the first and after the last; text values (mode, maskMode) hold from their key until the next.
/// </summary>
public sealed class MergeKeyframes
{
    private static readonly Dictionary<string, Func<MergeSettings, int, MergeSettings>> Setters = new()
    {
        ["erodeMask"] = (s, v) => s with { ErodeMask = v },
        ["blurMask"] = (s, v) => s with { BlurMask = v },
        ["faceScale"] = (s, v) => s with { FaceScale = v },
        ["motionBlur"] = (s, v) => s with { MotionBlur = v },
        ["sharpenAmount"] = (s, v) => s with { SharpenAmount = v },
        ["denoise"] = (s, v) => s with { Denoise = v },
        ["bicubicDegrade"] = (s, v) => s with { BicubicDegrade = v },
        ["colorDegrade"] = (s, v) => s with { ColorDegrade = v },
    };

    private static readonly string[] Numeric = [.. Setters.Keys];
    private static readonly string[] Text = ["mode", "maskMode"];
    private readonly SortedList<long, Dictionary<string, JsonElement>> _keys;

    private MergeKeyframes(SortedList<long, Dictionary<string, JsonElement>> keys) => _keys = keys;

    public static MergeKeyframes Parse(string json, string source = "keyframes")
    {
        var keys = new SortedList<long, Dictionary<string, JsonElement>>();
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            foreach (JsonProperty frame in doc.RootElement.EnumerateObject())
            {
                if (!long.TryParse(frame.Name, out long index) || index < 0)
                {
                    throw new UserErrorException($"{source}: '{frame.Name}' is not a frame number.");
                }

                var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
                foreach (JsonProperty p in frame.Value.EnumerateObject())
                {
                    string name = Numeric.Concat(Text).FirstOrDefault(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase))
                        ?? throw new UserErrorException($"{source}: frame {index}: '{p.Name}' cannot be keyed; use {string.Join(", ", Numeric.Concat(Text))}.");
                    JsonValueKind want = Numeric.Contains(name) ? JsonValueKind.Number : JsonValueKind.String;
                    if (p.Value.ValueKind != want)
                    {
                        throw new UserErrorException($"{source}: frame {index}: '{p.Name}' must be a {(want == JsonValueKind.Number ? "number" : "string")}, not {p.Value}.");
                    }

                    values[name] = p.Value.Clone();
                }

                keys[index] = values;
            }
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{source}: not valid JSON ({ex.Message}).");
        }

        return new MergeKeyframes(keys);
    }

    /// <summary>
    /// Checks every key against the base settings before any frame is merged, so a bad key fails at once, not halfway
    /// through a clip: each key's settings must be valid, raw-predict (which changes the output's size) cannot be
    /// switched on or off by a key, and xseg mask modes need an XSeg model.
    /// </summary>
    public void Check(MergeSettings @base, bool haveXSeg, string source = "keyframes")
    {
        foreach ((long frame, Dictionary<string, JsonElement> values) in _keys)
        {
            MergeSettings s;
            try
            {
                s = At(frame, @base);
            }
            catch (UserErrorException ex)
            {
                throw new UserErrorException($"{source}: frame {frame}: {ex.Message}");
            }

            if ((s.Mode == "raw-predict") != (@base.Mode == "raw-predict"))
            {
                throw new UserErrorException($"{source}: frame {frame}: raw-predict changes the output's size, so it cannot be switched by a key; set it with --mode for the whole run.");
            }

            if (!haveXSeg && s.MaskMode.Contains("xseg", StringComparison.Ordinal))
            {
                throw new UserErrorException($"{source}: frame {frame}: mask mode {s.MaskMode} needs a trained XSeg model: add --xseg <xseg workspace>.");
            }
        }
    }

    public static MergeKeyframes Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new UserErrorException($"{path}: keyframes file not found.");

    /// <summary>The settings for <paramref name="frame"/>: <paramref name="base"/> with the keyed values applied.</summary>
    public MergeSettings At(long frame, MergeSettings @base)
    {
        MergeSettings s = @base;
        foreach (string name in Numeric)
        {
            var keyed = _keys.Where(k => k.Value.ContainsKey(name)).Select(k => (Frame: k.Key, Value: k.Value[name].GetDouble())).ToArray();
            if (keyed.Length == 0)
            {
                continue;
            }

            double v;
            var before = keyed.LastOrDefault(k => k.Frame <= frame);
            var after = keyed.FirstOrDefault(k => k.Frame >= frame);
            if (frame <= keyed[0].Frame)
            {
                v = keyed[0].Value;
            }
            else if (frame >= keyed[^1].Frame)
            {
                v = keyed[^1].Value;
            }
            else
            {
                double t = after.Frame == before.Frame ? 0 : (double)(frame - before.Frame) / (after.Frame - before.Frame);
                v = before.Value + ((after.Value - before.Value) * t);
            }

            s = Setters[name](s, (int)Math.Round(v));
        }

        foreach (string name in Text)
        {
            var key = _keys.LastOrDefault(k => k.Key <= frame && k.Value.ContainsKey(name));
            if (key.Value is null)
            {
                continue;
            }

            string value = key.Value[name].GetString() ?? "";
            s = name == "mode" ? s with { Mode = value } : s with { MaskMode = value };
        }

        s.Validate();
        return s;
    }
}
