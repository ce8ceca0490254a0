using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace DFLComposite.Plugins.MediaPipe.Detect;

/// <summary>
/// MediaPipe BlazeFace, both models: short range for close-ups, full range for smaller faces. When the whole
/// frame shows nobody, the full range model also runs on overlapping square tiles, so a small face in a
/// 720p/1080p frame is not shrunk below what the network sees; BlazeFace only finds faces rolled up to about ±45°,
/// so when still nobody is found the frame is searched turned 90° each way (whole frame, no tiles). Detections are
/// mapped back and merged by weighted NMS.
/// </summary>
[PluginExport(typeof(IFaceDetector), "blazeface", "1.0", "MediaPipe BlazeFace short+full range, tiled, any roll (OpenCV DNN)")]
public sealed class BlazeFaceDetector : IFaceDetector, IDisposable
{
    private const float MergeIoU = 0.3f;
    private const float RotatedMinScore = 0.75f;
    private readonly object _gate = new();
    private BlazeFaceModel? _short;
    private BlazeFaceModel? _full;
    private ILogger _log = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Also search the frame turned ±90° (on by default).</summary>
    public bool SearchRotated { get; set; } = true;

    public void Initialize(PluginContext context)
    {
        lock (_gate)
        {
            if (_short is not null)
            {
                return;
            }

            _log = context.LoggerFactory.CreateLogger<BlazeFaceDetector>();
            _short = BlazeFaceModel.ShortRange(ModelPath(context, "face_detection_short_range.tflite"));
            _full = BlazeFaceModel.FullRange(ModelPath(context, "face_detection_full_range.tflite"));
        }
    }

    public IReadOnlyList<DetectedFace> Detect(ImageFrame frame, float minScore)
    {
        if (_short is null || _full is null)
        {
            throw new InvalidOperationException("BlazeFaceDetector.Initialize was not called.");
        }

        using Mat image = MatInterop.AsMat(frame);
        // Coarse to fine: the whole frame first (two small networks); tiles only when that finds nobody (a small face
        // far from the camera), turned copies only when the upright frame has nobody at all. A key frame with a face
        // costs two network runs instead of the ~24 every frame used to pay at 720p.
        var all = new List<DetectedFace>(WholeFrame(image, minScore));
        if (all.Count == 0)
        {
            foreach (Rect tile in Tiles(image.Width, image.Height, _full.InputSize))
            {
                using var view = new Mat(image, tile);
                all.AddRange(_full.Detect(view, minScore).Select(d => Map(d, p => new PointF(p.X + tile.X, p.Y + tile.Y))));
            }
        }

        if (SearchRotated && all.Count == 0)
        {
            // A turned copy only adds faces that stand upright in it (|roll| < 45° there), and with more
            // confidence than the upright pass needs: turned backgrounds breed false positives.
            float rotatedMin = Math.Max(minScore, RotatedMinScore);
            using var cw = new Mat();
            Cv2.Rotate(image, cw, RotateFlags.Rotate90Clockwise);
            all.AddRange(WholeFrame(cw, rotatedMin).Where(IsUpright).Select(d => Map(d, p => new PointF(p.Y, image.Height - p.X))));
            using var ccw = new Mat();
            Cv2.Rotate(image, ccw, RotateFlags.Rotate90Counterclockwise);
            all.AddRange(WholeFrame(ccw, rotatedMin).Where(IsUpright).Select(d => Map(d, p => new PointF(image.Width - p.Y, p.X))));
        }

        List<DetectedFace> merged = WeightedNms.Apply(all, MergeIoU);
        _log.LogDebug("BlazeFace: {Raw} raw detections, {Merged} faces", all.Count, merged.Count);
        return merged;
    }

    public void Dispose()
    {
        _short?.Dispose();
        _full?.Dispose();
    }

    private List<DetectedFace> WholeFrame(Mat image, float minScore)
    {
        List<DetectedFace> found = _short!.Detect(image, minScore);
        found.AddRange(_full!.Detect(image, minScore));
        return found;
    }

    /// <summary>
    /// Overlapping square tiles of half the short side, stepping by half a tile, for frames large enough
    /// that a tile is still bigger than the network input. None for small frames.
    /// </summary>
    internal static IEnumerable<Rect> Tiles(int width, int height, int inputSize)
    {
        int tile = Math.Min(width, height) / 2;
        if (tile < inputSize * 1.5)
        {
            yield break;
        }

        int step = tile / 2;
        for (int y = 0; y + tile <= height; y += step)
        {
            for (int x = 0; x + tile <= width; x += step)
            {
                yield return new Rect(x, y, tile, tile);
            }
        }
    }

    private static bool IsUpright(DetectedFace d) => MathF.Abs(d.Roll) < MathF.PI / 4;

    private static DetectedFace Map(DetectedFace d, Func<PointF, PointF> f)
    {
        PointF a = f(new PointF(d.Box.X, d.Box.Y)), b = f(new PointF(d.Box.Right, d.Box.Bottom));
        var box = new RectF(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y));
        return new DetectedFace(box, d.Score, d.Keypoints.Select(f).ToArray());
    }

    private static string ModelPath(PluginContext context, string file)
    {
        string path = Path.Combine(context.ModelsDirectory, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Model file {path} is missing. Run ./run.sh setup to fetch it, or point DFLC_MODELS at a folder that has it.", path);
        }

        return path;
    }
}
