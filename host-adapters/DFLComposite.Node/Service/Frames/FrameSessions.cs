using System.Text.Json;
using System.Text.Json.Nodes;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Settings;
using DFLComposite.Engine.Media;
using DFLComposite.Media;

namespace DFLComposite.Node.Service.Frames;

/// <summary>
/// Frame requests from the OpenFX plug-in, answered with the engine's per-frame merge (<see cref="FrameMerger"/>).
/// Sessions are keyed by what shapes them — effect, model, XSeg model, reference person, detector and tracking
/// settings — not by the plug-in's instance (MLT makes one per frame), so a timeline rendered in order is tracked and
/// smoothed as a file merge is, and a scrub still gets a correct frame (the engine's tracking rule). Settings that
/// only shape the blend (erode, blur, mode ...) come with every frame, so the host's keyframes animate them. At most
/// four sessions stay loaded; "Reload model" drops the ones of that model.
/// </summary>
internal sealed class FrameSessions(JobContext context) : IDisposable
{
    private const int MaxSessions = 4;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (FrameMerger Session, long Used)> _open = [];
    private readonly FrameBufferPool _buffers = new(8);
    private long _clock;

    public JsonObject Handle(JsonNode request)
    {
        try
        {
            return Process(request);
        }
        catch (JobValidationException ex)
        {
            return Error(string.Join("; ", ex.Errors.Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}")));
        }
        catch (Exception ex) when (ExitCodes.For(ex) != ExitCodes.Failure || ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Error(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // nothing a host sends may stop the node: a bug in one frame is that frame's error
            return Error($"the node failed on this frame ({ex.Message}); its log has the details, please report it");
        }
    }

    private JsonObject Process(JsonNode r)
    {
        string shm = (string?)r["shm"] ?? "";
        if (!SharedFrames.Allowed(shm))
        {
            return Error($"'{shm}' is not a frame file of the plug-in (/dev/shm/dflc-ofx-<pid>-<n>); use the same version for node and plug-in");
        }

        int width = (int)r["width"]!, height = (int)r["height"]!;
        string depth = (string)r["depth"]!, components = (string)r["components"]!;
        bool rgb = components == "RGB";
        long rowBytes = (long)r["rowBytes"]!, input = (long)r["inputOffset"]!, output = (long)r["outputOffset"]!;
        if (width <= 0 || height <= 0 || rowBytes != (long)width * (rgb ? 3 : 4) * SharedFrames.ComponentBytes(depth))
        {
            return Error($"a {width}x{height} {components} {depth} frame cannot have rows of {rowBytes} bytes; use the same version for node and plug-in");
        }

        long size = rowBytes * height, fileSize = new FileInfo(shm).Length;
        if (input < 0 || output < 0 || input + size > fileSize || output + size > fileSize)
        {
            return Error($"{shm} holds {fileSize} bytes, too few for the frame at offsets {input} and {output}");
        }

        string effect = (string?)r["effect"] ?? "swap";
        MergeSettings settings = Settings(r["settings"]);
        string? xseg = Text(r["xseg"]), reference = Text(r["reference"]);
        FrameJob job = effect == "matte"
            ? new MaskJob { Workspace = xseg ?? throw JobValidationException.For("xseg", "Face Matte needs an XSeg workspace: set \"XSeg workspace\" to a folder `dflc xseg train` wrote"), Input = "host", Output = "host", Settings = settings, Reference = reference is null ? null : [reference] }
            : new MergeJob { Workspace = Text(r["workspace"]) ?? throw JobValidationException.For("workspace", "Face Swap needs a model: set \"Model workspace\" to a folder `dflc train` wrote"), XSeg = xseg, Input = "host", Output = "host", Settings = settings, Reference = reference is null ? null : [reference] };
        JobValidationException.ThrowIf(new JobRunner(context).Validate(job).Where(e => e.Path is not ("input" or "output")));
        MergeSettings frameSettings = job is MaskJob mask ? mask.MatteSettings() : settings;
        FrameMerger session = Session(job, (bool?)r["reload"] == true);

        using var view = FrameMapping.Open(shm, fileSize);
        long number = (long)Math.Round((double)r["frame"]!);
        bool matte = effect == "matte", show = (bool?)r["showMatte"] == true, maskToAlpha = !matte && (bool?)r["maskToAlpha"] == true && !rgb;
        int faces = depth == "byte"
            ? MergeBytes(session, view, input, output, width, height, rgb, number, frameSettings, matte, show, maskToAlpha)
            : MergeDeep(session, view, input, output, width, height, depth, rgb, number, frameSettings, matte, show, maskToAlpha);
        return new JsonObject { ["ok"] = true, ["faces"] = faces };
    }

    // 8-bit frames go to the merge as the BGR8 it works in (as `dflc merge` decodes them), are merged in place in a
    // reused buffer (a fresh one costs its page faults on every frame) and come back in one pass.
    private unsafe int MergeBytes(FrameMerger session, FrameMapping view, long input, long output, int width, int height, bool rgb,
        long number, MergeSettings settings, bool matte, bool show, bool maskToAlpha)
    {
        byte* from = SharedFrames.Pointer(view, input, width, height, rgb), to = SharedFrames.Pointer(view, output, width, height, rgb);
        var frame = new ImageFrame(width, height, _buffers.Rent(width * height * 3));
        try
        {
            HostPixels.ToBgr8(from, rgb, frame);
            using MergedFrame merged = session.Process(frame, number, matte: matte || maskToAlpha, settings, inPlace: true);
            HostPixels.FromMerged(merged, to, from, rgb, matteAsAlpha: matte || maskToAlpha, showMatte: matte && show);
            return merged.Faces;
        }
        finally
        {
            _buffers.Return(frame);
        }
    }

    // 16-bit and float frames keep their depth outside the face (a float frame is never rounded to 8 bits).
    private static int MergeDeep(FrameMerger session, FrameMapping view, long input, long output, int width, int height, string depth, bool rgb,
        long number, MergeSettings settings, bool matte, bool show, bool maskToAlpha)
    {
        ImageFrame frame = SharedFrames.Read(view, input, width, height, depth, rgb);
        using MergedFrame merged = session.Process(frame, number, matte: matte || maskToAlpha, settings);
        ImageFrame result = matte ? Matte(merged, show) : maskToAlpha ? merged.WithMatteAsAlpha() : merged.Frame;
        SharedFrames.Write(view, output, result, rgb);
        return merged.Faces;
    }

    // The matte in alpha, the picture unchanged (or the matte as grey too, to look at it).
    private static ImageFrame Matte(MergedFrame merged, bool show) => show ? merged.WithMatteShown() : merged.WithMatteAsAlpha();

    private FrameMerger Session(FrameJob job, bool reload)
    {
        MergeSettings s = job is MergeJob m ? m.Settings : ((MaskJob)job).Settings;
        string model = job is MergeJob mj ? mj.Workspace : ((MaskJob)job).Workspace;
        string key = string.Join("|", job.Kind, model, (job as MergeJob)?.XSeg, string.Join(",", job.Reference ?? []), s.Detector, s.Landmarker, s.Smooth, s.DetectEvery, s.Color);
        lock (_lock)
        {
            if (reload)
            {
                foreach (string stale in _open.Keys.Where(k => k.Split('|')[1] == model).ToArray())
                {
                    _open[stale].Session.Dispose();
                    _open.Remove(stale);
                }
            }

            if (_open.TryGetValue(key, out var found))
            {
                _open[key] = (found.Session, ++_clock);
                return found.Session;
            }

            if (_open.Count >= MaxSessions)
            {
                string oldest = _open.MinBy(kv => kv.Value.Used).Key;
                _open[oldest].Session.Dispose();
                _open.Remove(oldest);
            }

            FrameMerger session = FrameMerger.Open(job, context, fps: 25);
            _open[key] = (session, ++_clock);
            return session;
        }
    }

    // The plug-in's settings over the engine's defaults, checked field by field like a job's.
    private static MergeSettings Settings(JsonNode? node)
    {
        if (node is not JsonObject given)
        {
            return new MergeSettings();
        }

        var merged = JsonSerializer.SerializeToNode(new MergeSettings(), JobJson.Options)!.AsObject();
        foreach (var kv in given)
        {
            merged[kv.Key] = kv.Value?.DeepClone();
        }

        MergeSettings s = JobJson.ReadRecord<MergeSettings>(merged.ToJsonString(), "settings");
        return s;
    }

    private static string? Text(JsonNode? node) => (string?)node is { Length: > 0 } s ? s : null;

    private static JsonObject Error(string message) => new() { ["ok"] = false, ["error"] = message };

    public void Dispose()
    {
        lock (_lock)
        {
            foreach ((FrameMerger session, _) in _open.Values)
            {
                session.Dispose();
            }

            _open.Clear();
        }
    }
}
