using System.Text.Json;
using OpenFX.Net;

namespace DFLComposite.Ofx.Node;

/// <summary>One setting's value at the frame's time: a choice's option name, or a number.</summary>
public readonly record struct SettingValue(string Name, string? Text, double Number, bool IsInteger);

/// <summary>Everything the frame message says except where the pixels are (see docs/ofx-frame-protocol.md).</summary>
public sealed record FrameRequest
{
    public required string Session { get; init; }

    public required double Frame { get; init; }

    public required string Effect { get; init; }

    public required OfxRectI Bounds { get; init; }

    public required string Depth { get; init; }

    public required string Components { get; init; }

    public required IReadOnlyList<SettingValue> Settings { get; init; }

    public string Workspace { get; init; } = "";

    public string XSeg { get; init; } = "";

    public string Reference { get; init; } = "";

    public bool MaskToAlpha { get; init; }

    public bool ShowMatte { get; init; }

    public OfxPointD RenderScale { get; init; } = new() { X = 1, Y = 1 };

    public bool Draft { get; init; }

    public string HostName { get; init; } = "";

    /// <summary>The message for a frame whose input is at offset 0 of <paramref name="shm"/> and output at outputOffset.</summary>
    public byte[] ToJson(string shm, long outputOffset, long rowBytes, bool reload)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("op", "frame");
            w.WriteString("session", Session);
            w.WriteNumber("frame", Frame);
            w.WriteNumber("width", Bounds.Width);
            w.WriteNumber("height", Bounds.Height);
            w.WriteString("depth", Depth);
            w.WriteString("components", Components);
            w.WriteString("shm", shm);
            w.WriteNumber("inputOffset", 0);
            w.WriteNumber("outputOffset", outputOffset);
            w.WriteNumber("rowBytes", rowBytes);
            w.WriteStartObject("settings");
            foreach (SettingValue s in Settings)
            {
                if (s.Text is not null)
                {
                    w.WriteString(s.Name, s.Text);
                }
                else if (s.IsInteger)
                {
                    w.WriteNumber(s.Name, (long)s.Number);
                }
                else
                {
                    w.WriteNumber(s.Name, s.Number);
                }
            }

            w.WriteEndObject();
            w.WriteString("workspace", Workspace);
            w.WriteString("xseg", XSeg);
            w.WriteString("reference", Reference);
            w.WriteString("effect", Effect);
            w.WriteBoolean("maskToAlpha", MaskToAlpha);
            w.WriteBoolean("showMatte", ShowMatte);
            w.WriteStartArray("renderScale");
            w.WriteNumberValue(RenderScale.X);
            w.WriteNumberValue(RenderScale.Y);
            w.WriteEndArray();
            w.WriteBoolean("draft", Draft);
            w.WriteBoolean("reload", reload);
            w.WriteStartArray("origin");
            w.WriteNumberValue(Bounds.X1);
            w.WriteNumberValue(Bounds.Y1);
            w.WriteEndArray();
            w.WriteString("host", HostName);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>"byte", "short" or "float" for an OFX depth.</summary>
    public static string DepthName(string ofxDepth) => ofxDepth switch
    {
        OfxBitDepth.Byte => "byte",
        OfxBitDepth.Short => "short",
        OfxBitDepth.Float => "float",
        _ => throw new OfxException(OfxStatus.ErrImageFormat, "unsupported depth " + ofxDepth),
    };

    /// <summary>"RGBA" or "RGB" for OFX components.</summary>
    public static string ComponentsName(string ofxComponents) => ofxComponents switch
    {
        OfxComponents.RGBA => "RGBA",
        OfxComponents.RGB => "RGB",
        _ => throw new OfxException(OfxStatus.ErrImageFormat, "unsupported components " + ofxComponents),
    };
}
