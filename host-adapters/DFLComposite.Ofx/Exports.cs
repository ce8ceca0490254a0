using System.Runtime.InteropServices;
using OpenFX.Net;

namespace DFLComposite.Ofx;

/// <summary>
/// The two C symbols every OpenFX binary exports. Both are idempotent and cheap, catch everything, and only register
/// the plug-in objects (nothing is loaded or connected until the host renders).
/// </summary>
public static unsafe class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "OfxGetNumberOfPlugins")]
    public static int OfxGetNumberOfPlugins()
    {
        try
        {
            Register();
            return PluginRegistry.Count;
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "OfxGetPlugin")]
    public static OfxPlugin* OfxGetPlugin(int nth)
    {
        try
        {
            Register();
            return PluginRegistry.Get(nth);
        }
        catch (Exception e)
        {
            OfxLog.Write(e);
            return null;
        }
    }

    private static void Register() => PluginRegistry.EnsureRegistered(static () => [new FaceEffectPlugin(EffectKind.Swap), new FaceEffectPlugin(EffectKind.Matte)]);
}
