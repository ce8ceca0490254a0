using System.Text.Json;
using DFLComposite.Engine.Settings;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// Per-frame merge settings from a few keys (DeepFaceLab can only set values frame by frame, by hand): a JSON object of
/// frame number -> partial settings, e.g. <c>{"0": {"erodeMask": 0}, "120": {"erodeMask": 40, "blurMask": 20}}</c>.
/// Numbers are interpolated linearly between the keys around a frame and held before the first and after the last;
/// text values (mode, maskMode) hold from their key until the next. Parsing is O(n log n) and a frame's settings
/// O(log n) in the number of keys, so files with tens of thousands of keys load in well under a second.
/// </summary>
public sealed class MergeKeyframes
{
    /// <summary>Largest keyframes file read (32,000 keys are about 1.2 MB).</summary>
    public const int MaxBytes = 16 << 20;

    private static readonly Dictionary<string, Func<MergeSettings, int, MergeSettings>> Setters = new(StringComparer.OrdinalIgnoreCase)
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

    private static readonly string[] Text = ["mode", "maskMode"];

    /// <summary>The settings a key may hold.</summary>
    public static IEnumerable<string> Keyable => Setters.Keys.Concat(Text);

    private static readonly Dictionary<string, SettingField> Fields = SettingsSchema.For<MergeSettings>().ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private readonly List<(string Name, long[] Frames, double[] Values)> _numbers;
    private readonly List<(string Name, long[] Frames, string[] Values)> _texts;
    private readonly long[] _keys;

    private MergeKeyframes(List<(string, long[], double[])> numbers, List<(string, long[], string[])> texts, long[] keys) =>
        (_numbers, _texts, _keys) = (numbers, texts, keys);

    public int Count => _keys.Length;

    /// <param name="source">Names the document in errors (the file).</param>
    public static MergeKeyframes Parse(string json, string source = "keyframes")
    {
        var numbers = new Dictionary<string, List<(long, double)>>();
        var texts = new Dictionary<string, List<(long, string)>>();
        var keys = new List<long>();
        var errors = new List<FieldError>();
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JobValidationException([new FieldError("", "keyframes are a JSON object of frame number -> settings")], source);
            }

            foreach (JsonProperty frame in doc.RootElement.EnumerateObject())
            {
                if (!long.TryParse(frame.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long index))
                {
                    errors.Add(new FieldError(frame.Name, "is not a frame number (0 or more)"));
                    continue;
                }

                if (frame.Value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new FieldError(frame.Name, "must be an object of settings"));
                    continue;
                }

                keys.Add(index);
                foreach (JsonProperty p in frame.Value.EnumerateObject())
                {
                    if (Value(index, p, numbers, texts) is { } problem)
                    {
                        errors.Add(new FieldError($"{frame.Name}.{p.Name}", problem));
                    }
                }

                if (errors.Count >= 20)
                {
                    break; // enough to show what is wrong
                }
            }
        }
        catch (JsonException ex)
        {
            throw new JobValidationException([new FieldError("", $"not valid JSON ({ex.Message.Split(" Path:")[0]})")], source);
        }

        JobValidationException.ThrowIf(errors, source);
        keys.Sort();
        return new MergeKeyframes(
            numbers.Select(kv => Sorted(kv.Key, kv.Value)).ToList(),
            texts.Select(kv => Sorted(kv.Key, kv.Value)).ToList(),
            keys.Distinct().ToArray());
    }

    private static string? Value(long index, JsonProperty p, Dictionary<string, List<(long, double)>> numbers, Dictionary<string, List<(long, string)>> texts)
    {
        if (!Fields.TryGetValue(p.Name, out SettingField? field) || !Keyable.Contains(field.Name))
        {
            return $"cannot be keyed; keys may set {string.Join(", ", Keyable)}";
        }

        if (field.IsNumber)
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out double v))
            {
                return $"must be a number; allowed {field.Allowed}";
            }

            if (SettingsValidator.Check(field, v) is { } bad)
            {
                return bad;
            }

            Add(numbers, field.Name, (index, v));
            return null;
        }

        if (p.Value.ValueKind != JsonValueKind.String || SettingsValidator.Check(field, p.Value.GetString()) is not null)
        {
            return $"must be one of {field.Allowed}";
        }

        Add(texts, field.Name, (index, p.Value.GetString()!));
        return null;
    }

    private static void Add<T>(Dictionary<string, List<T>> lists, string name, T item)
    {
        if (!lists.TryGetValue(name, out List<T>? list))
        {
            lists[name] = list = [];
        }

        list.Add(item);
    }

    private static (string, long[], T[]) Sorted<T>(string name, List<(long Frame, T Value)> keyed)
    {
        // a frame keyed twice keeps its last value, as JSON readers do
        var last = new SortedDictionary<long, T>();
        foreach ((long f, T v) in keyed)
        {
            last[f] = v;
        }

        return (name, last.Keys.ToArray(), last.Values.ToArray());
    }

    /// <summary>
    /// Checks every key against the base settings before any frame is merged, so a bad key fails at once, not halfway
    /// through a clip: raw-predict (which changes the output's size) cannot be switched by a key, and xseg mask modes
    /// need an XSeg model.
    /// </summary>
    public void Check(MergeSettings @base, bool haveXSeg, string source = "keyframes")
    {
        var errors = new List<FieldError>();
        foreach (long frame in _keys)
        {
            MergeSettings s = At(frame, @base);
            if ((s.Mode == "raw-predict") != (@base.Mode == "raw-predict"))
            {
                errors.Add(new FieldError($"{frame}.mode", "raw-predict changes the output's size, so it cannot be switched by a key; set the mode for the whole run"));
            }

            if (!haveXSeg && s.NeedsXSeg)
            {
                errors.Add(new FieldError($"{frame}.maskMode", $"{s.MaskMode} needs a trained XSeg model: give the job an XSeg workspace"));
            }

            if (errors.Count >= 20)
            {
                break;
            }
        }

        JobValidationException.ThrowIf(errors, source);
    }

    public static MergeKeyframes Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UserErrorException($"{path}: keyframes file not found.");
        }

        if (info.Length > MaxBytes)
        {
            throw new UserErrorException($"{path}: {info.Length} bytes is larger than a keyframes file may be ({MaxBytes} bytes).");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The settings for <paramref name="frame"/>: <paramref name="base"/> with the keyed values applied.</summary>
    public MergeSettings At(long frame, MergeSettings @base)
    {
        MergeSettings s = @base;
        foreach ((string name, long[] frames, double[] values) in _numbers)
        {
            int i = Array.BinarySearch(frames, frame);
            double v;
            if (i >= 0)
            {
                v = values[i];
            }
            else
            {
                int after = ~i;
                v = after == 0 ? values[0] : after == frames.Length ? values[^1]
                    : values[after - 1] + ((values[after] - values[after - 1]) * (frame - frames[after - 1]) / (frames[after] - frames[after - 1]));
            }

            s = Setters[name](s, (int)Math.Round(v));
        }

        foreach ((string name, long[] frames, string[] values) in _texts)
        {
            int i = Array.BinarySearch(frames, frame);
            int at = i >= 0 ? i : ~i - 1;
            if (at >= 0)
            {
                s = name == "mode" ? s with { Mode = values[at] } : s with { MaskMode = values[at] };
            }
        }

        return s;
    }
}
