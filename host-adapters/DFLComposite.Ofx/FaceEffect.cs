using DFLComposite.Ofx.Node;
using OpenFX.Net;

namespace DFLComposite.Ofx;

/// <summary>
/// One Face Swap or Face Matte instance. Render reads every parameter at the frame's time (so host keyframes animate
/// them), sends the source frame to the node through <see cref="NodePool"/> and copies the node's output; on any
/// fault it copies the source unchanged and puts a message on the instance naming the cause and the fix. The instance
/// holds no connection or buffer of its own (hosts may make one instance per frame).
/// </summary>
public sealed class FaceEffect : ImageEffect
{
    public const string MessageId = "org.dflcomposite.node";

    private static readonly Lock ReportGate = new();
    private static NodeFaultKind? lastReported;
    private static long serial;

    private readonly Dictionary<string, nint> handles = new(StringComparer.Ordinal);
    private readonly ParamDeclaration[] declarations;
    private bool persistentMessageSet;

    public FaceEffect(EffectInstanceHandle instance, EffectKind kind) : base(instance)
    {
        Kind = kind;
        declarations = [.. FaceParams.For(kind)];
        Session = $"{Environment.ProcessId}-{Interlocked.Increment(ref serial)}";
    }

    public EffectKind Kind { get; }

    /// <summary>The "session" the node sees: unique per process and instance.</summary>
    public string Session { get; }

    public override bool GetClipPreferences(ClipPreferences preferences)
    {
        if (Kind != EffectKind.Matte)
        {
            return false;
        }

        // The matte goes into alpha over unchanged colours: the output is not premultiplied by it.
        preferences.SetOutputPremultiplication(OfxImageEffectValues.ImageUnPreMultiplied);
        return true;
    }

    public override void InstanceChanged(in InstanceChangedArguments args)
    {
        if (args.Name == FaceParams.ReloadModel)
        {
            NodePool.Shared.RequestReload();
        }
    }

    public override unsafe void Render(in RenderArguments args)
    {
        Clip output = GetClip(OfxImageEffectValues.OutputClipName) ?? throw new OfxException(OfxStatus.ErrFatal, "no Output clip");
        using Image dst = output.GetImage(args.Time) ?? throw new OfxException(OfxStatus.Failed, "the host gave no output image");
        using Image? src = GetClip(OfxImageEffectValues.SimpleSourceClipName)?.GetImage(args.Time);
        PixelRegion to = PixelRegion.Of(dst);
        OfxRectI window = args.RenderWindow;
        if (src is null)
        {
            PixelRegion.Clear(to, window);
            return;
        }

        if (src.PixelDepth != dst.PixelDepth || src.Components != dst.Components)
        {
            throw new OfxException(OfxStatus.ErrImageFormat, $"source {src.PixelDepth} {src.Components} and output {dst.PixelDepth} {dst.Components} differ");
        }

        PixelRegion from = PixelRegion.Of(src);
        NodeResult result = AbortRequested()
            ? new NodeResult(false, 0, null)
            : NodePool.Shared.Render(ReadRequest(args, src), from, processed => PixelRegion.Copy(processed, to, window));
        if (result.Ok)
        {
            ClearReport();
            return;
        }

        PixelRegion.Copy(from, to, window);
        if (result.Fault is { } fault)
        {
            Report(fault);
        }
    }

    /// <summary>The frame message's fields: every parameter's value at the frame's time.</summary>
    public FrameRequest ReadRequest(in RenderArguments args, Image src)
    {
        var settings = new List<SettingValue>();
        string workspace = "", xseg = "", reference = "";
        bool maskToAlpha = false, showMatte = false;
        foreach (ParamDeclaration p in declarations)
        {
            switch (p.Kind)
            {
                case ParamKind.Choice:
                    int index = Math.Clamp(ReadInt(p, args.Time), 0, p.Choices.Length - 1);
                    settings.Add(new SettingValue(p.Json, p.Choices[index], 0, false));
                    break;
                case ParamKind.Int when p.IsSetting:
                    settings.Add(new SettingValue(p.Json, null, Math.Clamp(ReadInt(p, args.Time), (int)p.Min, (int)p.Max), true));
                    break;
                case ParamKind.Double when p.IsSetting:
                    settings.Add(new SettingValue(p.Json, null, Math.Clamp(ReadDouble(p, args.Time), p.Min, p.Max), false));
                    break;
                case ParamKind.Bool:
                    bool on = ReadInt(p, args.Time) != 0;
                    maskToAlpha |= p.Json == FaceParams.MaskToAlpha && on;
                    showMatte |= p.Json == FaceParams.ShowMatte && on;
                    break;
                case ParamKind.FilePath or ParamKind.DirectoryPath:
                    string value = ReadString(p, args.Time);
                    workspace = p.Json == FaceParams.Workspace ? value : workspace;
                    xseg = p.Json == FaceParams.XSeg ? value : xseg;
                    reference = p.Json == FaceParams.Reference ? value : reference;
                    break;
            }
        }

        return new FrameRequest
        {
            Session = Session,
            Frame = args.Time,
            Effect = Kind == EffectKind.Swap ? "swap" : "matte",
            Bounds = src.Bounds,
            Depth = FrameRequest.DepthName(src.PixelDepth),
            Components = FrameRequest.ComponentsName(src.Components),
            Settings = settings,
            Workspace = workspace,
            XSeg = xseg,
            Reference = reference,
            MaskToAlpha = maskToAlpha,
            ShowMatte = showMatte,
            RenderScale = args.RenderScale,
            Draft = args.Draft,
            HostName = Host.Name,
        };
    }

    private int ReadInt(ParamDeclaration p, double time)
    {
        Span<int> v = [(int)p.Default];
        return Param(p.Json) is nint h && h != 0 && Host.Parameter.GetValueAtTime(h, time, v) == OfxStatus.OK ? v[0] : (int)p.Default;
    }

    private double ReadDouble(ParamDeclaration p, double time)
    {
        Span<double> v = [p.Default];
        return Param(p.Json) is nint h && h != 0 && Host.Parameter.GetValueAtTime(h, time, v) == OfxStatus.OK ? v[0] : p.Default;
    }

    private string ReadString(ParamDeclaration p, double time) =>
        Param(p.Json) is nint h && h != 0 && Host.Parameter.GetValueAtTime(h, time, out string? s) == OfxStatus.OK ? (s ?? "").Trim() : "";

    private nint Param(string name)
    {
        lock (handles)
        {
            if (!handles.TryGetValue(name, out nint h))
            {
                h = Host.Parameter.TryGetHandle(ParamSet, name, out nint param, out _) ? param : 0;
                handles[name] = h;
            }

            return h;
        }
    }

    private void Report(NodeFault fault)
    {
        OfxLog.Write(fault.Message);
        MessageSuite? messages = Host.Message;
        if (messages is null)
        {
            return;
        }

        if (messages.HasPersistentMessages)
        {
            persistentMessageSet = messages.SetPersistentMessage(Handle, OfxMessageType.Error, MessageId, fault.Message) == OfxStatus.OK;
            return;
        }

        // Without persistent messages a message may be a dialog: say each kind of fault once, until a frame succeeds.
        lock (ReportGate)
        {
            if (lastReported == fault.Kind)
            {
                return;
            }

            lastReported = fault.Kind;
        }

        messages.Message(Handle, OfxMessageType.Error, MessageId, fault.Message);
    }

    private void ClearReport()
    {
        lock (ReportGate)
        {
            lastReported = null;
        }

        if (persistentMessageSet)
        {
            Host.Message?.ClearPersistentMessage(Handle);
            persistentMessageSet = false;
        }
    }
}
