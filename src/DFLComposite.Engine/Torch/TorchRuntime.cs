using System.Runtime.InteropServices;

namespace DFLComposite.Engine.Torch;

/// <summary>
/// libtorch switches TorchSharp does not expose, set through libtorch's own C++ entry points.
/// </summary>
/// <remarks>
/// <para>
/// oneDNN (mkldnn) computes a wrong input gradient for stride-1 convolutions wider than 1x1 (3x3 and 5x5 seen) with
/// few output channels (fewer than 16: XSeg's 1-channel output layer and its 8-channel blocks at small widths). With libtorch 2.10's
/// CPU build on 2 threads, 30 identical backward passes of a 8 -> 1 channel conv on 64 x 64 gave 3 different
/// gradients, one of them NaN; XSeg training diverged at iteration 2 in 3 of 5 runs and, when it did not, learned
/// from gradients up to 20% off. Without oneDNN the same passes are bit-identical. Convolutions with 16 or more
/// output channels and strided ones (all of SAEHD's and the identity network's) and every forward pass were exact,
/// and without oneDNN SAEHD's training step is 4x slower and XSeg's backward pass 2x, so it is switched off only
/// where the broken shapes train, inside <see cref="WithoutOneDnn"/>: XSeg's backward pass, and a swap network's
/// when <see cref="HasFewChannelConvolutions"/> (a plugin architecture with narrow layers).
/// <c>TorchRuntimeTests</c> holds the finding (and fails with oneDNN on).
/// </para>
/// <para>
/// The switches are process-wide in libtorch; scopes are counted, so two overlapping ones (two XSeg trainings in
/// one node) keep oneDNN off until the last ends. Work of other jobs inside a scope runs on libtorch's plain
/// kernels: slower, still exact.
/// </para>
/// <para>
/// NNPACK is off for the whole process (<see cref="EnsureConfigured"/>, before the first swap network or XSeg masker and
/// from <see cref="TorchThreads.Set"/> and every
/// scope): libtorch tries it for each convolution oneDNN declines (on one thread, or inside a scope), and on CPUs it
/// does not support (the CI's EPYC) prints "Could not initialize NNPACK" to stderr each time, dozens of lines per
/// frame of a `dflc --threads 1 render`. Linux only (Itanium C++ ABI names); other platforms keep libtorch's defaults.
/// </para>
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<bool> Configured = new(() => Native(context => NativeMethods.SetUserEnabledNnpack(context, false)));
    private static int _scopes;

    /// <summary>The process-wide settings (NNPACK off), once; later calls return at once.</summary>
    public static void EnsureConfigured() => _ = Configured.Value;

    /// <summary>Whether libtorch may pick oneDNN kernels now.</summary>
    public static bool OneDnnEnabled
    {
        get
        {
            bool enabled = true;
            Native(context => enabled = NativeMethods.UserEnabledMkldnn(context));
            return enabled;
        }
    }

    /// <summary>
    /// Whether a network has convolutions of the kind oneDNN gets wrong in the backward pass: a Conv2d with a
    /// kernel wider than 1 and fewer than 16 output channels (measured wrong: 3x3 and 5x5, 1 to 8 channels, at 32
    /// to 256 px). Broad on purpose (strided or grouped ones of that size are included): a false alarm costs speed,
    /// a miss costs a model. SAEHD's and the identity network's layers are all wider.
    /// </summary>
    public static bool HasFewChannelConvolutions(TorchSharp.torch.nn.Module network) =>
        network.modules().OfType<TorchSharp.Modules.Conv2d>().Any(c => c.weight is { } w && w.shape[0] < 16 && (w.shape[2] > 1 || w.shape[3] > 1));

    /// <summary>A <see cref="WithoutOneDnn"/> scope when <paramref name="needed"/>, else one that does nothing.</summary>
    public static IDisposable WithoutOneDnnIf(bool needed) => needed ? WithoutOneDnn() : NoScope.Instance;

    /// <summary>oneDNN off until the returned scope is disposed; see the remarks for why.</summary>
    public static IDisposable WithoutOneDnn()
    {
        lock (Gate)
        {
            if (_scopes++ == 0)
            {
                Switch(enabled: false);
            }
        }

        return new Scope();
    }

    private static void Switch(bool enabled)
    {
        EnsureConfigured();
        Native(context => NativeMethods.SetUserEnabledMkldnn(context, enabled));
    }

    // Runs a call on libtorch's global context; false (nothing done) where the entry points are not Itanium C++.
    private static bool Native(Action<IntPtr> call)
    {
        _ = TorchSharp.torch.get_num_threads(); // loads TorchSharp's native backend, libtorch_cpu among it
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            call(NativeMethods.GlobalContext());
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            throw new InvalidOperationException(
                "libtorch's oneDNN and NNPACK switches (at::Context::setUserEnabledMkldnn, setUserEnabledNNPACK) were not found in libtorch_cpu; XSeg training would get wrong gradients. Use the libtorch version the project pins (Directory.Packages.props).", e);
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (Gate)
            {
                if (--_scopes == 0)
                {
                    Switch(enabled: true);
                }
            }
        }
    }

    private static class NativeMethods
    {
        // The copy TorchSharp loaded: dlopen matches a bare name against loaded libraries' sonames.
        private const string Library = "torch_cpu";

        [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool UserEnabledMkldnn(IntPtr context);
    }
}
