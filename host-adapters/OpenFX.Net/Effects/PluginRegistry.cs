using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>
/// The plug-ins a binary exports. A binary's OfxGetNumberOfPlugins/OfxGetPlugin exports (which must live in the
/// NativeAOT root assembly) call <see cref="Count"/> and <see cref="Get"/>. Each plug-in gets an OfxPlugin struct in
/// native memory whose setHost and mainEntry are per-slot [UnmanagedCallersOnly] trampolines (a C function pointer
/// carries no context), so up to <see cref="MaxPlugins"/> plug-ins per binary.
/// </summary>
public static unsafe class PluginRegistry
{
    public const int MaxPlugins = 4;

    private static readonly Lock Gate = new();
    private static PluginSlot[] slots = [];

    /// <summary>Registers the binary's plug-ins once; later calls are ignored (OfxGetPlugin may be called many times).</summary>
    public static void EnsureRegistered(Func<ImageEffectPlugin[]> plugins)
    {
        if (Volatile.Read(ref slots).Length > 0)
        {
            return;
        }

        lock (Gate)
        {
            if (slots.Length > 0)
            {
                return;
            }

            ImageEffectPlugin[] list = plugins();
            if (list.Length > MaxPlugins)
            {
                throw new InvalidOperationException($"at most {MaxPlugins} plug-ins per binary");
            }

            var made = new PluginSlot[list.Length];
            for (int i = 0; i < list.Length; i++)
            {
                made[i] = new PluginSlot(list[i], Allocate(list[i], i));
            }

            Volatile.Write(ref slots, made);
        }
    }

    public static int Count => Volatile.Read(ref slots).Length;

    /// <summary>The nth OfxPlugin, or null for an index out of range.</summary>
    public static OfxPlugin* Get(int nth)
    {
        PluginSlot[] s = Volatile.Read(ref slots);
        return nth >= 0 && nth < s.Length ? s[nth].Native : null;
    }

    /// <summary>Live effect instances across all plug-ins (for tests and diagnostics).</summary>
    public static int LiveInstances => ActionDispatcher.InstanceCount;

    private static OfxPlugin* Allocate(ImageEffectPlugin plugin, int index)
    {
        var p = (OfxPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(OfxPlugin));
        p->PluginApi = CString.Interned(OfxImageEffectActions.PluginApi);
        p->ApiVersion = OfxImageEffectActions.PluginApiVersion;
        p->PluginIdentifier = CString.Interned(plugin.Identifier);
        p->PluginVersionMajor = plugin.VersionMajor;
        p->PluginVersionMinor = plugin.VersionMinor;
        switch (index)
        {
            case 0:
                p->SetHost = &SetHost0;
                p->MainEntry = &Main0;
                break;
            case 1:
                p->SetHost = &SetHost1;
                p->MainEntry = &Main1;
                break;
            case 2:
                p->SetHost = &SetHost2;
                p->MainEntry = &Main2;
                break;
            default:
                p->SetHost = &SetHost3;
                p->MainEntry = &Main3;
                break;
        }

        return p;
    }

    private static void SetHost(int i, OfxHost* host)
    {
        try
        {
            PluginSlot[] s = Volatile.Read(ref slots);
            if (i < s.Length)
            {
                s[i].SetHost(host);
            }
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
        }
    }

    private static int Main(int i, byte* action, nint handle, nint inArgs, nint outArgs)
    {
        try
        {
            PluginSlot[] s = Volatile.Read(ref slots);
            return i < s.Length ? ActionDispatcher.Dispatch(s[i], action, handle, inArgs, outArgs) : OfxStatus.ErrUnknown;
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
            return OfxStatus.Failed;
        }
    }

    [UnmanagedCallersOnly]
    private static void SetHost0(OfxHost* h) => SetHost(0, h);

    [UnmanagedCallersOnly]
    private static void SetHost1(OfxHost* h) => SetHost(1, h);

    [UnmanagedCallersOnly]
    private static void SetHost2(OfxHost* h) => SetHost(2, h);

    [UnmanagedCallersOnly]
    private static void SetHost3(OfxHost* h) => SetHost(3, h);

    [UnmanagedCallersOnly]
    private static int Main0(byte* a, nint h, nint i, nint o) => Main(0, a, h, i, o);

    [UnmanagedCallersOnly]
    private static int Main1(byte* a, nint h, nint i, nint o) => Main(1, a, h, i, o);

    [UnmanagedCallersOnly]
    private static int Main2(byte* a, nint h, nint i, nint o) => Main(2, a, h, i, o);

    [UnmanagedCallersOnly]
    private static int Main3(byte* a, nint h, nint i, nint o) => Main(3, a, h, i, o);
}

/// <summary>One registered plug-in: its OfxPlugin struct, the host it was given, its load state.</summary>
internal sealed unsafe class PluginSlot(ImageEffectPlugin plugin, OfxPlugin* native)
{
    private readonly Lock gate = new();
    private OfxHost* hostPointer;
    private OfxHostContext? host;
    private bool loaded;

    public ImageEffectPlugin Plugin { get; } = plugin;

    public OfxPlugin* Native { get; } = native;

    public void SetHost(OfxHost* h)
    {
        lock (gate)
        {
            if (h != hostPointer)
            {
                hostPointer = h;
                host = null;
            }
        }
    }

    /// <summary>The bound host, binding it now if no Load came first (some hosts skip or reorder it).</summary>
    public OfxHostContext EnsureHost()
    {
        lock (gate)
        {
            if (host is null)
            {
                host = OfxHostContext.Create(hostPointer);
                Plugin.Host = host;
            }

            return host;
        }
    }

    /// <summary>kOfxActionLoad: idempotent until Unload.</summary>
    public int Load()
    {
        OfxHostContext h = EnsureHost();
        lock (gate)
        {
            if (!loaded)
            {
                Plugin.Host = h;
                Plugin.Load();
                loaded = true;
            }
        }

        return OfxStatus.OK;
    }

    public int Unload()
    {
        lock (gate)
        {
            if (loaded)
            {
                loaded = false;
                Plugin.Unload();
            }
        }

        return OfxStatus.OK;
    }
}
