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
        // Letterbox: keep the aspect ratio, pad to a square, as MediaPipe's ImageToTensorCalculator does. The frame is
        // shrunk to the network's size first (area-averaged, so small details are not aliased away) and only then
        // padded: padding a 4K frame to a 4K square and shrinking that moved tens of megabytes per call for nothing.
        int side = Math.Max(image.Width, image.Height);
        int w = Math.Max(1, (int)Math.Round((double)image.Width * InputSize / side)), h = Math.Max(1, (int)Math.Round((double)image.Height * InputSize / side));
        int padX = (InputSize - w) / 2, padY = (InputSize - h) / 2;
        using var small = new Mat();
        Cv2.Resize(image, small, new Size(w, h), interpolation: side > InputSize ? InterpolationFlags.Area : InterpolationFlags.Linear);
        using var square = new Mat();
        Cv2.CopyMakeBorder(small, square, padY, InputSize - h - padY, padX, InputSize - w - padX, BorderTypes.Constant, Scalar.All(0));
        using Mat blob = CvDnn.BlobFromImage(square, 1.0 / 127.5, new Size(InputSize, InputSize), new Scalar(127.5, 127.5, 127.5), swapRB: true, crop: false);
        var toImage = new Letterbox(padX, padY, (float)image.Width / w, (float)image.Height / h);

        return _nets.Use(net => Forward(net, blob, minScore, toImage));
    }

    private List<DetectedFace> Forward(Net net, Mat blob, float minScore, Letterbox toImage)
    {
        net.SetInput(blob);
        string[] names = net.GetUnconnectedOutLayersNames()!.Select(n => n ?? "").ToArray();
        Mat[] outputs = names.Select(_ => new Mat()).ToArray();
        try
        {
            net.Forward(outputs, names);
            (Mat boxes, Mat scores) = outputs[0].Total() > outputs[1].Total() ? (outputs[0], outputs[1]) : (outputs[1], outputs[0]);
            return Decode(boxes, scores, minScore, toImage);
        }
        finally
        {
            foreach (Mat m in outputs)
            {
                m.Dispose();
            }
        }
    }

    private unsafe List<DetectedFace> Decode(Mat boxes, Mat scores, float minScore, Letterbox toImage)
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
                keypoints[k] = toImage.Map(((r[4 + (2 * k)] / InputSize) + ax) * InputSize, ((r[5 + (2 * k)] / InputSize) + ay) * InputSize);
            }

            PointF tl = toImage.Map((cx - (w / 2)) * InputSize, (cy - (h / 2)) * InputSize);
            found.Add(new DetectedFace(new RectF(tl.X, tl.Y, w * InputSize * toImage.ScaleX, h * InputSize * toImage.ScaleY), 1f / (1f + MathF.Exp(-logit)), keypoints));
        }

        return found;
    }

    /// <summary>Network-square pixels back to image pixels: remove the padding, undo the shrink.</summary>
    private readonly record struct Letterbox(int PadX, int PadY, float ScaleX, float ScaleY)
    {
        public PointF Map(float x, float y) => new((x - PadX) * ScaleX, (y - PadY) * ScaleY);
    }

    public void Dispose() => _nets.Dispose();
}
