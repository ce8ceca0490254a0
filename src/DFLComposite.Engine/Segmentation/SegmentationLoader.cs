using System.Collections.Concurrent;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Segmentation;

/// <summary>Faces (N x 3 x R x R, BGR in [0, 1]) and their label masks (N x 1 x R x R, 0 or 1).</summary>
public sealed record SegmentationBatch(Tensor Images, Tensor Masks) : IDisposable
{
    public void Dispose()
    {
        Images.Dispose();
        Masks.Dispose();
    }
}

/// <summary>
/// Feeds XSeg training with labelled faces at the model's face type and resolution, strongly augmented: random
/// occluders (real texture cut out of the label), DeepFaceLab's similarity transform + flip + random warp applied
/// to face and label alike, colour jitter and blur. As the swap trainer's loader, batch <c>i</c> depends only on
/// (seed, i), so a resumed run sees the batches an uninterrupted one would; the next batch is prepared while the
/// current one trains.
/// </summary>
public sealed class SegmentationLoader : IDisposable
{
    private sealed record Sample(Mat Image, Mat Label) : IDisposable
    {
        public void Dispose()
        {
            Image.Dispose();
            Label.Dispose();
        }
    }

    private readonly IReadOnlyList<string> _files;
    private readonly SegmentationOptions _options;
    private readonly int _batch, _seed;
    private readonly double _occluderChance;
    private readonly IReadOnlyList<string> _occluderImages;
    private readonly ConcurrentDictionary<int, Lazy<Sample>> _cache = new();
    private readonly ConcurrentDictionary<string, Lazy<Mat>> _occluderCache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private (long Iteration, Task<float[][]> Work)? _next;

    public SegmentationLoader(IReadOnlyList<string> files, SegmentationOptions options, int batch, int seed, double occluderChance, IReadOnlyList<string> occluderImages)
    {
        if (files.Count == 0)
        {
            throw new UserErrorException("No labelled faces to train on. Label faces first: `dflc xseg labels fetch-from-mesh <faceset>` or `dflc xseg labels import`.");
        }

        _files = files;
        _options = options;
        _batch = batch;
        _seed = seed;
        _occluderChance = occluderChance;
        _occluderImages = occluderImages;
    }

    public int Count => _files.Count;

    /// <summary>The augmented batch of iteration <paramref name="iteration"/>; the next starts in the background.</summary>
    public SegmentationBatch Batch(long iteration)
    {
        Task<float[][]> work;
        lock (_gate)
        {
            work = _next is { } n && n.Iteration == iteration ? n.Work : Task.Run(() => Build(iteration, augment: true, 0, _batch));
            _next = (iteration + 1, Task.Run(() => Build(iteration + 1, augment: true, 0, _batch)));
        }

        return ToTensors(work.GetAwaiter().GetResult(), _batch);
    }

    /// <summary>Faces [start, start + count) as they are, for previews.</summary>
    public SegmentationBatch Fixed(int start, int count)
    {
        count = Math.Min(count, _files.Count);
        return ToTensors(Build(0, augment: false, start, count), count);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _next?.Work.Wait();
            }
            catch (AggregateException)
            {
                // a failed prefetch matters only if its batch is asked for
            }
        }

        foreach (var lazy in _cache.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }

        foreach (var lazy in _occluderCache.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }
    }

    private Sample Load(int index) => _cache.GetOrAdd(index, i => new Lazy<Sample>(() =>
    {
        AlignedFace face = AlignedFaceFile.Read(_files[i]);
        Affine2D toModel = SegmentationCrop.FaceToModel(face.Metadata, _options.FaceType, _options.Resolution);
        using Mat bgr = face.Image.AsMat();
        using Mat label = MaskLabels.LabelMask(face.Metadata);
        Mat image = SegmentationCrop.ToModel(bgr, toModel, _options.Resolution);
        Mat mask = SegmentationCrop.ToModel(label, toModel, _options.Resolution);
        Cv2.Threshold(mask, mask, 127, 255, ThresholdTypes.Binary);
        return new Sample(image, mask);
    })).Value;

    private float[][] Build(long iteration, bool augment, int start, int count)
    {
        int res = _options.Resolution, plane = res * res;
        var images = new float[count * 3 * plane];
        var masks = new float[count * plane];
        Parallel.For(0, count, k =>
        {
            var rng = new Random(StableSeed(_seed, iteration, k));
            int index = augment ? rng.Next(_files.Count) : (start + k) % _files.Count;
            Sample s = Load(index);
            using Mat image = s.Image.Clone();
            using Mat label = s.Label.Clone();
            if (augment && rng.NextDouble() < _occluderChance)
            {
                using Mat? texture = OccluderTexture(index, rng);
                if (texture is not null)
                {
                    Occluders.Paste(image, label, texture, rng);
                }
            }

            using var image32 = new Mat();
            using var label32 = new Mat();
            image.ConvertTo(image32, MatType.CV_32FC3, 1.0 / 255);
            label.ConvertTo(label32, MatType.CV_32FC1, 1.0 / 255);
            Mat inputImage, inputLabel;
            if (augment)
            {
                // Face and label take the same transform and the same warp (the label must stay on the face).
                Augment.Params p = Augment.Draw(rng, res, flip: true, warp: true);
                (Mat t, inputImage) = Augment.Apply(image32, p, colour: true);
                (Mat mt, inputLabel) = Augment.Apply(label32, p, colour: false);
                t.Dispose();
                mt.Dispose();
                p.WarpX?.Dispose();
                p.WarpY?.Dispose();
                Cv2.Threshold(inputLabel, inputLabel, 0.5, 1, ThresholdTypes.Binary);
                if (rng.NextDouble() < 0.25)
                {
                    int k2 = 1 + (2 * rng.Next(1, 3));
                    Cv2.GaussianBlur(inputImage, inputImage, new OpenCvSharp.Size(k2, k2), 0);
                }
            }
            else
            {
                (inputImage, inputLabel) = (image32.Clone(), label32.Clone());
            }

            using (inputImage)
            using (inputLabel)
            {
                inputImage.GetArray(out Vec3f[] pixels);
                int offset = k * 3 * plane;
                for (int j = 0; j < plane; j++)
                {
                    images[offset + j] = pixels[j].Item0;
                    images[offset + plane + j] = pixels[j].Item1;
                    images[offset + (2 * plane) + j] = pixels[j].Item2;
                }

                inputLabel.GetArray(out float[] m);
                Array.Copy(m, 0, masks, k * plane, plane);
            }
        });
        return [images, masks];
    }

    /// <summary>Texture for an occluder: an occluder image's random crop, or another face's background.</summary>
    private Mat? OccluderTexture(int index, Random rng)
    {
        int res = _options.Resolution;
        int side = (int)(res * (0.25 + (0.3 * rng.NextDouble())));
        if (_occluderImages.Count > 0 && rng.Next(2) == 0)
        {
            string file = _occluderImages[rng.Next(_occluderImages.Count)];
            Mat picture = _occluderCache.GetOrAdd(file, f => new Lazy<Mat>(() => ScaledOccluderImage(f, res))).Value;
            return Occluders.Texture(picture, null, side, rng);
        }

        int other = _files.Count > 1 ? (index + 1 + rng.Next(_files.Count - 1)) % _files.Count : index;
        Sample s = Load(other);
        return Occluders.Texture(s.Image, s.Label, side, rng);
    }

    private static Mat ScaledOccluderImage(string file, int res)
    {
        using Mat picture = ImageIO.Read(file).AsMat();
        // About two face widths across, so a crop looks like a nearby object, not a flat colour.
        double k = 2.0 * res / Math.Max(picture.Width, picture.Height);
        var scaled = new Mat();
        Cv2.Resize(picture, scaled, new OpenCvSharp.Size(Math.Max(res + 1, (int)(picture.Width * k)), Math.Max(res + 1, (int)(picture.Height * k))), interpolation: InterpolationFlags.Area);
        return scaled;
    }

    private SegmentationBatch ToTensors(float[][] a, int n) => new(
        tensor(a[0], [n, 3, _options.Resolution, _options.Resolution]),
        tensor(a[1], [n, 1, _options.Resolution, _options.Resolution]));

    // Process-independent (HashCode.Combine is randomised per process; resume needs the same batches).
    private static int StableSeed(long a, long b, long c)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        foreach (long v in new[] { a, b, c })
        {
            x ^= (ulong)v + 0x9E3779B97F4A7C15UL + (x << 6) + (x >> 2);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        }

        return (int)((x ^ (x >> 31)) & 0x7FFFFFFF);
    }
}
