using DFLComposite.Faces;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace DFLComposite.Plugins.MediaPipe.Detect;

/// <summary>
/// One BlazeFace network (short range: 128 px, faces within ~2 m; full range: 192 px, faces within ~5 m)
/// run by OpenCV's DNN module. Input is letterboxed to the square network size and scaled to [-1, 1] RGB,
/// as MediaPipe's graph does; output is decoded against MediaPipe's anchors.
/// An OpenCV <see cref="Net"/> is not thread-safe: concurrent callers rent one from a <see cref="NetPool"/>.
/// </summary>
internal sealed class BlazeFaceModel : IDisposable
{
    private const int Coords = 16; // box (4) + 6 keypoints (12)
    private readonly (float X, float Y)[] _anchors;
    private readonly NetPool _nets;

    private BlazeFaceModel(string path, int inputSize, (float X, float Y)[] anchors)
    {
        InputSize = inputSize;
        _anchors = anchors;
        _nets = new NetPool(path);
    }

    public int InputSize { get; }

    public static BlazeFaceModel ShortRange(string path) =>
        new(path, 128, SsdAnchors.Generate(128, [8, 16, 16, 16], interpolatedAnchor: true));

    public static BlazeFaceModel FullRange(string path) =>
        new(path, 192, SsdAnchors.Generate(192, [4], interpolatedAnchor: false));

    /// <summary>Detections in <paramref name="image"/> pixels with raw (pre-NMS) scores at or above <paramref name="minScore"/>.</summary>
    public List<DetectedFace> Detect(Mat image, float minScore)
    {
        // Letterbox: keep the aspect ratio, pad to a square, as MediaPipe's ImageToTensorCalculator does.
        int side = Math.Max(image.Width, image.Height);
        float scale = (float)InputSize / side;
        int padX = (side - image.Width) / 2, padY = (side - image.Height) / 2;
        using var square = new Mat();
        Cv2.CopyMakeBorder(image, square, padY, side - image.Height - padY, padX, side - image.Width - padX, BorderTypes.Constant, Scalar.All(0));
        using Mat blob = CvDnn.BlobFromImage(square, 1.0 / 127.5, new Size(InputSize, InputSize), new Scalar(127.5, 127.5, 127.5), swapRB: true, crop: false);

        return _nets.Use(net => Forward(net, blob, minScore, side, padX, padY));
    }

    private List<DetectedFace> Forward(Net net, Mat blob, float minScore, int side, int padX, int padY)
    {
        net.SetInput(blob);
        string[] names = net.GetUnconnectedOutLayersNames()!.Select(n => n ?? "").ToArray();
        Mat[] outputs = names.Select(_ => new Mat()).ToArray();
        try
        {
            net.Forward(outputs, names);
            (Mat boxes, Mat scores) = outputs[0].Total() > outputs[1].Total() ? (outputs[0], outputs[1]) : (outputs[1], outputs[0]);
            return Decode(boxes, scores, minScore, side, padX, padY);
        }
        finally
        {
            foreach (Mat m in outputs)
            {
                m.Dispose();
            }
        }
    }

    private unsafe List<DetectedFace> Decode(Mat boxes, Mat scores, float minScore, int side, int padX, int padY)
    {
        int n = _anchors.Length;
        if (boxes.Total() != n * Coords || scores.Total() != n)
        {
            throw new InvalidOperationException($"BlazeFace output has {boxes.Total()} box values and {scores.Total()} scores; expected {n * Coords} and {n}. Wrong model file?");
        }

        float* box = (float*)boxes.Data;
        float* score = (float*)scores.Data;
        float logitMin = MathF.Log(minScore / (1 - minScore));
        var found = new List<DetectedFace>();
        for (int i = 0; i < n; i++)
        {
            float logit = Math.Clamp(score[i], -100f, 100f);
            if (logit < logitMin)
            {
                continue;
            }

            float* r = box + (i * Coords);
            (float ax, float ay) = _anchors[i];
            // Offsets are in network pixels; anchors are in [0, 1] of the padded square.
            float cx = (r[0] / InputSize) + ax, cy = (r[1] / InputSize) + ay;
            float w = r[2] / InputSize, h = r[3] / InputSize;
            var keypoints = new PointF[6];
            for (int k = 0; k < 6; k++)
            {
                keypoints[k] = ToImage((r[4 + (2 * k)] / InputSize) + ax, (r[5 + (2 * k)] / InputSize) + ay, side, padX, padY);
            }

            PointF tl = ToImage(cx - (w / 2), cy - (h / 2), side, padX, padY);
            found.Add(new DetectedFace(new RectF(tl.X, tl.Y, w * side, h * side), 1f / (1f + MathF.Exp(-logit)), keypoints));
        }

        return found;
    }

    private static PointF ToImage(float x, float y, int side, int padX, int padY) => new((x * side) - padX, (y * side) - padY);

    public void Dispose() => _nets.Dispose();
}
