namespace DFLComposite.Engine.Torch;

/// <summary>
/// libtorch's intra-op thread count, which is process-wide in libtorch: set by the host process (dflc's --threads),
/// never by a job, so two jobs in one process do not fight over it.
/// </summary>
public static class TorchThreads
{
    public static void Set(int threads)
    {
        TorchRuntime.EnsureConfigured();
        TorchSharp.torch.set_num_threads(threads);
    }

    public static int Current => TorchSharp.torch.get_num_threads();
}
