using System.Collections.Concurrent;
using OpenCvSharp.Dnn;

namespace DFLComposite.Plugins.MediaPipe;

/// <summary>
/// OpenCV <see cref="Net"/> instances are not thread-safe. Callers rent one per inference and return it, so
/// there are only as many copies as concurrent callers (a ThreadLocal would make one per thread-pool thread).
/// </summary>
internal sealed class NetPool(string path) : IDisposable
{
    // OpenCV's TFLite importer is not safe to run on two threads at once (seen: "Unsupported operator type
    // PRELU" from a model that loads fine alone), so every load in the process takes this lock.
    private static readonly Lock LoadLock = new();

    private readonly ConcurrentBag<Net> _free = [];
    private readonly ConcurrentBag<Net> _all = [];

    public T Use<T>(Func<Net, T> run)
    {
        if (!_free.TryTake(out Net? net))
        {
            lock (LoadLock)
            {
                net = CvDnn.ReadNet(path) ?? throw new InvalidOperationException($"OpenCV could not read the model {path}.");
            }

            _all.Add(net);
        }

        try
        {
            return run(net);
        }
        finally
        {
            _free.Add(net);
        }
    }

    public void Dispose()
    {
        foreach (Net net in _all)
        {
            net.Dispose();
        }
    }
}
