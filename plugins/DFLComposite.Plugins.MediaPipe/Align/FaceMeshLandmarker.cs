using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace DFLComposite.Plugins.MediaPipe.Align;

/// <summary>
/// MediaPipe's 468-point face mesh (face_landmark.tflite, 192 px) via OpenCV DNN. The crop is de-rotated by
/// the detector's eye keypoints and 1.5x the face box, as MediaPipe's graph does; a second pass re-crops from
/// the first pass's landmarks (eye corners for roll, mesh extent for size), which makes the result nearly
/// independent of the detector box and so consistent across resolutions. In video, <see cref="Follow"/> crops from the
/// previous frame's mesh and needs the second pass only when the face moved.
/// </summary>
[PluginExport(typeof(ILandmarker), "facemesh", "1.0", "MediaPipe 468-point face mesh + 68-point layout (OpenCV DNN)")]
public sealed class FaceMeshLandmarker : ILandmarker, IDisposable
{
    private const int InputSize = 192;
    private const float CropScale = 1.5f;
    private const float MinPresence = 0.9f;

    /// <summary>How far (share of the crop, and radians of roll) a followed face may move before its crop is redone.</summary>
    private const float StableShift = 0.03f;
    private NetPool? _nets;

    public void Initialize(PluginContext context)
    {
        if (_nets is not null)
        {
            return;
        }

        string path = Path.Combine(context.ModelsDirectory, "face_landmark.tflite");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file {path} is missing. Run ./run.sh setup to fetch it, or point DFLC_MODELS at a folder that has it.", path);
        }

        _nets = new NetPool(path);
    }

    public FaceLandmarks? Locate(ImageFrame frame, DetectedFace face)
    {
        ObjectDisposedException.ThrowIf(_nets is null, this);
        using Mat image = MatInterop.AsMat(frame);
        float size = Math.Max(face.Box.Width, face.Box.Height) * CropScale;
        (PointF[] mesh, float presence) = Run(image, face.Box.Center, face.Roll, size);
        if (presence < MinPresence)
        {
            return null;
        }

        // Refine: crop again from the first pass's own landmarks.
        (PointF centre, float roll, float cropSize) = CropFrom(mesh);
        (PointF[] refined, float presence2) = Run(image, centre, roll, cropSize);
        if (presence2 >= MinPresence)
        {
            (mesh, presence) = (refined, presence2);
        }

        return new FaceLandmarks(mesh, MeshTo68.From(mesh), presence);
    }

    /// <summary>
    /// MediaPipe's tracking: the crop comes from the previous frame's mesh, which is already the refined crop, so one
    /// pass is enough while the face moves little between frames. When the new mesh asks for a crop that differs by
    /// more than <see cref="StableShift"/> (a fast move, a zoom), a second pass crops from it, as <see cref="Locate"/> does.
    /// </summary>
    public FaceLandmarks? Follow(ImageFrame frame, FaceLandmarks previous, float score)
    {
        ObjectDisposedException.ThrowIf(_nets is null, this);
        if (previous.Mesh.Count != 468)
        {
            return Locate(frame, DetectedFace.FromLandmarks(previous, score));
        }

        using Mat image = MatInterop.AsMat(frame);
        (PointF centre, float roll, float size) = CropFrom(previous.Mesh);
        (PointF[] mesh, float presence) = Run(image, centre, roll, size);
        if (presence < MinPresence)
        {
            return null;
        }

        (PointF centre2, float roll2, float size2) = CropFrom(mesh);
        bool stable = (centre2 - centre).Length < StableShift * size && MathF.Abs(size2 - size) < StableShift * size && MathF.Abs(roll2 - roll) < StableShift;
        if (!stable)
        {
            (PointF[] refined, float presence2) = Run(image, centre2, roll2, size2);
            if (presence2 >= MinPresence)
            {
                (mesh, presence) = (refined, presence2);
            }
        }

        return new FaceLandmarks(mesh, MeshTo68.From(mesh), presence);
    }

    /// <summary>The crop a mesh asks for: roll from the outer eye corners, centre and size from its extent in the de-rotated frame.</summary>
    private static (PointF Centre, float Roll, float Size) CropFrom(IReadOnlyList<PointF> mesh)
    {
        float roll = MathF.Atan2(mesh[263].Y - mesh[33].Y, mesh[263].X - mesh[33].X);
        (PointF centre, float extent) = Extent(mesh, roll);
        return (centre, roll, extent * CropScale);
    }

    public void Dispose()
    {
        _nets?.Dispose();
        _nets = null;
    }

    private unsafe (PointF[] Mesh, float Presence) Run(Mat image, PointF centre, float roll, float size)
    {
        // Forward map source -> crop: scale, rotate by -roll about the centre, move the centre to the middle.
        float s = InputSize / size, c = MathF.Cos(-roll) * s, n = MathF.Sin(-roll) * s;
        using var toCrop = new Mat(2, 3, MatType.CV_64FC1);
        toCrop.Set(0, 0, (double)c);
        toCrop.Set(0, 1, (double)-n);
        toCrop.Set(0, 2, (InputSize / 2.0) - ((c * centre.X) - (n * centre.Y)));
        toCrop.Set(1, 0, (double)n);
        toCrop.Set(1, 1, (double)c);
        toCrop.Set(1, 2, (InputSize / 2.0) - ((n * centre.X) + (c * centre.Y)));
        using var crop = new Mat();
        Cv2.WarpAffine(image, crop, toCrop, new Size(InputSize, InputSize), InterpolationFlags.Linear, BorderTypes.Replicate);
        using Mat blob = CvDnn.BlobFromImage(crop, 1.0 / 255, new Size(InputSize, InputSize), new Scalar(0, 0, 0), swapRB: true, crop: false);

        return _nets!.Use(net => Forward(net, blob, centre, roll, s));
    }

    private static unsafe (PointF[] Mesh, float Presence) Forward(Net net, Mat blob, PointF centre, float roll, float s)
    {
        net.SetInput(blob);
        string[] names = net.GetUnconnectedOutLayersNames()!.Select(x => x ?? "").ToArray();
        Mat[] outputs = names.Select(_ => new Mat()).ToArray();
        try
        {
            net.Forward(outputs, names);
            Mat points = outputs.First(m => m.Total() == 468 * 3);
            Mat flag = outputs.First(m => m.Total() == 1);
            float* p = (float*)points.Data;
            float logit = ((float*)flag.Data)[0];
            // Inverse map crop -> source.
            float ic = MathF.Cos(roll) / s, isn = MathF.Sin(roll) / s;
            var mesh = new PointF[468];
            for (int i = 0; i < 468; i++)
            {
                float u = p[i * 3] - (InputSize / 2f), v = p[(i * 3) + 1] - (InputSize / 2f);
                mesh[i] = new PointF(centre.X + (ic * u) - (isn * v), centre.Y + (isn * u) + (ic * v));
            }

            return (mesh, 1f / (1f + MathF.Exp(-logit)));
        }
        finally
        {
            foreach (Mat m in outputs)
            {
                m.Dispose();
            }
        }
    }

    private static (PointF Centre, float Size) Extent(IReadOnlyList<PointF> mesh, float roll)
    {
        float c = MathF.Cos(-roll), s = MathF.Sin(-roll);
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (PointF q in mesh)
        {
            float x = (c * q.X) - (s * q.Y), y = (s * q.X) + (c * q.Y);
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        float cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
        // back to image space: rotate by +roll
        float ic = MathF.Cos(roll), isn = MathF.Sin(roll);
        return (new PointF((ic * cx) - (isn * cy), (isn * cx) + (ic * cy)), Math.Max(maxX - minX, maxY - minY));
    }
}
