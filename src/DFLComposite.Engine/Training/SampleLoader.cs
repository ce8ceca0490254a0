using System.Collections.Concurrent;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>A batch for one side: warped inputs, clean targets, masks. NCHW float tensors in [0, 1], BGR order.</summary>
public sealed record SampleBatch(Tensor Input, Tensor Target, Tensor Mask, Tensor EyesMouth) : IDisposable
{
    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
        Mask.Dispose();
        EyesMouth.Dispose();
    }
}

/// <summary>
/// Feeds training: picks faces (uniformly, or evenly over yaw), augments them and packs batches. The content of
/// batch <c>i</c> depends only on the seed and <c>i</c> — not on timing or threads — so a resumed run sees exactly
/// the batches the uninterrupted one would have. Batches are prepared ahead on worker threads so the training
/// step does not wait on JPEG decoding.
/// </summary>
public sealed class SampleLoader : IDisposable
{
    private const int Ahead = 3;
    private readonly IReadOnlyList<string> _files;
    private readonly FaceType _type;
    private readonly int _resolution, _batch, _seed, _threads;
    private readonly bool _flip, _warp, _uniformYaw;
    private readonly int _salt;
    private readonly ConcurrentDictionary<int, Lazy<FaceSample>> _cache = new();
    private readonly Dictionary<long, Task<float[][]>> _pending = [];
    private readonly object _gate = new();
    private int[][]? _yawBins;

    public SampleLoader(IReadOnlyList<string> files, FaceType type, int resolution, int batch, int seed, bool flip, bool warp, bool uniformYaw, int threads, int salt)
    {
        if (files.Count == 0)
        {
            throw new UserErrorException("A faceset for training has no faces.");
        }

        _files = files;
        _type = type;
        _resolution = resolution;
        _batch = batch;
        _seed = seed;
        _flip = flip;
        _warp = warp;
        _uniformYaw = uniformYaw;
        _threads = Math.Max(1, threads);
        _salt = salt;
    }

    public int Count => _files.Count;

    /// <summary>The batch for iteration <paramref name="iteration"/>; later ones start preparing in the background.</summary>
    public SampleBatch Batch(long iteration)
    {
        Task<float[][]> task;
        lock (_gate)
        {
            for (long i = iteration; i <= iteration + Ahead; i++)
            {
                if (!_pending.ContainsKey(i))
                {
                    long it = i;
                    _pending[i] = Task.Run(() => Build(it, augment: true, start: -1));
                }
            }

            task = _pending[iteration];
            foreach (long old in _pending.Keys.Where(k => k <= iteration).ToArray())
            {
                _pending.Remove(old);
            }
        }

        return ToTensors(task.GetAwaiter().GetResult(), _batch);
    }

    /// <summary>Faces [start, start + count) without augmentation, for validation and previews.</summary>
    public SampleBatch Fixed(int start, int count)
    {
        count = Math.Min(count, _files.Count);
        return ToTensors(Build(0, augment: false, start: start, count: count), count);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var t in _pending.Values)
            {
                try
                {
                    t.Wait();
                }
                catch (AggregateException)
                {
                    // a failed prefetch is reported when (if) its batch is asked for
                }
            }

            _pending.Clear();
        }

        foreach (var lazy in _cache.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }
    }

    private FaceSample Sample(int index) =>
        _cache.GetOrAdd(index, i => new Lazy<FaceSample>(() => FaceSample.Load(_files[i], _type, _resolution))).Value;

    private float[][] Build(long iteration, bool augment, int start, int count = 0)
    {
        int n = start < 0 ? _batch : count;
        int plane = _resolution * _resolution;
        var input = new float[n * 3 * plane];
        var target = new float[n * 3 * plane];
        var mask = new float[n * plane];
        var eyes = new float[n * plane];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = _threads }, k =>
        {
            var rng = new Random(StableSeed(_seed, _salt, iteration, k));
            int index = start >= 0 ? (start + k) % _files.Count : Pick(rng);
            FaceSample s = Sample(index);
            Augment.Params p = augment ? Augment.Draw(rng, _resolution, _flip, _warp) : new Augment.Params(0, 1, 0, 0, false, null, null, 0, 1, 1);
            (Mat t, Mat i) = Augment.Apply(s.Image, p, colour: augment);
            (Mat mt, Mat mi) = Augment.Apply(s.Mask, p with { WarpX = null, WarpY = null }, colour: false);
            (Mat et, Mat ei) = Augment.Apply(s.EyesMouth, p with { WarpX = null, WarpY = null }, colour: false);
            using (t)
            using (i)
            using (mt)
            using (mi)
            using (et)
            using (ei)
            {
                CopyChw(i, input, k * 3 * plane);
                CopyChw(t, target, k * 3 * plane);
                mt.GetArray(out float[] mv);
                Array.Copy(mv, 0, mask, k * plane, plane);
                et.GetArray(out float[] ev);
                Array.Copy(ev, 0, eyes, k * plane, plane);
            }

            p.WarpX?.Dispose();
            p.WarpY?.Dispose();
        });
        return [input, target, mask, eyes];
    }

    // HashCode.Combine is randomised per process; resume needs the same seed in every process.
    private static int StableSeed(long a, long b, long c, long d)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        foreach (long v in new[] { a, b, c, d })
        {
            x ^= (ulong)v + 0x9E3779B97F4A7C15UL + (x << 6) + (x >> 2);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }

        return (int)(x & 0x7FFFFFFF);
    }

    private int Pick(Random rng)
    {
        if (!_uniformYaw)
        {
            return rng.Next(_files.Count);
        }

        // Evenly over 16 yaw bins (measured on first use), then evenly within the bin.
        _yawBins ??= BinByYaw();
        int[] bin = _yawBins[rng.Next(_yawBins.Length)];
        return bin[rng.Next(bin.Length)];
    }

    private int[][] BinByYaw()
    {
        float[] yaw = Enumerable.Range(0, _files.Count).Select(i => Sample(i).Yaw).ToArray();
        float min = yaw.Min(), width = Math.Max(1e-6f, (yaw.Max() - min) / 16);
        return Enumerable.Range(0, _files.Count).GroupBy(i => Math.Min(15, (int)((yaw[i] - min) / width))).Select(g => g.ToArray()).ToArray();
    }

    private static void CopyChw(Mat hwc, float[] destination, int offset)
    {
        hwc.GetArray(out Vec3f[] pixels);
        int plane = pixels.Length;
        for (int j = 0; j < plane; j++)
        {
            destination[offset + j] = pixels[j].Item0;
            destination[offset + plane + j] = pixels[j].Item1;
            destination[offset + (2 * plane) + j] = pixels[j].Item2;
        }
    }

    private SampleBatch ToTensors(float[][] a, int n) => new(
        tensor(a[0], [n, 3, _resolution, _resolution]),
        tensor(a[1], [n, 3, _resolution, _resolution]),
        tensor(a[2], [n, 1, _resolution, _resolution]),
        tensor(a[3], [n, 1, _resolution, _resolution]));

    /// <summary>The face files of a faceset, optionally only those of one split.</summary>
    public static IReadOnlyList<string> Files(FaceSet set, string? split)
    {
        FaceSetSplit? s = split is null ? null : FaceSetSplit.Load(set.Directory);
        IEnumerable<string> names = split switch
        {
            null => set.Faces.Select(f => f.File),
            "train" => s?.Train ?? set.Faces.Select(f => f.File),
            "val" => s?.Val ?? [],
            _ => s?.Test ?? [],
        };
        return names.Select(n => Path.Combine(set.Directory, n)).ToArray();
    }
}
