using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace DFLComposite.Plugins.MediaPipe.Segment;

/// <summary>
/// MediaPipe's selfie segmentation (general model, 256 x 256 RGB in [0, 1], one sigmoid channel out) via OpenCV
/// DNN. The picture is squashed to the square as MediaPipe's graph does and the probability map scaled back.
/// </summary>
[PluginExport(typeof(IPersonSegmenter), "selfie", "1.0", "MediaPipe selfie segmentation: person vs background (OpenCV DNN)")]
public sealed class SelfieSegmenter : IPersonSegmenter, IDisposable
{
    private const int InputSize = 256;
    private NetPool? _nets;

    public void Initialize(PluginContext context)
    {
        if (_nets is not null)
        {
            return;
        }

        string path = Path.Combine(context.ModelsDirectory, "selfie_segmentation.tflite");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file {path} is missing. Run ./run.sh setup to fetch it, or point DFLC_MODELS at a folder that has it.", path);
        }

        _nets = new NetPool(path);
    }

    public float[] Segment(ImageFrame image)
    {
        ObjectDisposedException.ThrowIf(_nets is null, this);
        using Mat bgr = image.AsMat();
        using Mat blob = CvDnn.BlobFromImage(bgr, 1.0 / 255, new Size(InputSize, InputSize), new Scalar(0, 0, 0), swapRB: true, crop: false);
        float[] square = _nets.Use(net =>
        {
            net.SetInput(blob);
            using Mat output = net.Forward();
            if (output.Total() != InputSize * InputSize)
            {
                throw new InvalidOperationException($"selfie_segmentation.tflite gave {output.Total()} values, expected {InputSize * InputSize}.");
            }

            using Mat flat = output.Reshape(1, InputSize * InputSize);
            flat.GetArray(out float[] values);
            return values;
        });

        using Mat small = Mat.FromPixelData(InputSize, InputSize, MatType.CV_32FC1, square);
        using var full = new Mat();
        Cv2.Resize(small, full, new Size(image.Width, image.Height), interpolation: InterpolationFlags.Linear);
        full.GetArray(out float[] probabilities);
        return probabilities;
    }

    public void Dispose()
    {
        _nets?.Dispose();
        _nets = null;
    }
}
