using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// A trained XSeg model ready to predict: load once from a workspace, then call <see cref="Predict"/> from any
/// number of threads (forward passes are serialised). Faces must be cut at <see cref="FaceType"/>;
/// any size is accepted (resized to <see cref="Resolution"/> and the mask back to the face's size).
/// </summary>
public sealed class XSegMasker : IDisposable
{
    // libtorch's process settings (NNPACK off, see TorchRuntime) before the network runs
    static XSegMasker() => Torch.TorchRuntime.EnsureConfigured();

    private readonly SegmentationNetwork _network;
    private readonly Lock _forward = new();

    private XSegMasker(SegmentationNetwork network, SegmentationOptions options, long iteration)
    {
        _network = network;
        Options = options;
        Iteration = iteration;
    }

    /// <summary>Side in pixels the network works at.</summary>
    public int Resolution => Options.Resolution;

    /// <summary>Short name (h, mf, f, wf, head) of the face type the model was trained on.</summary>
    public string FaceType => Options.FaceType.ShortName();

    public SegmentationOptions Options { get; }

    /// <summary>Training iteration of the loaded weights.</summary>
    public long Iteration { get; }

    /// <summary>Loads the workspace's model (or its newest good backup) with the plugin that made it.</summary>
    /// <exception cref="BadInputException">No XSeg model there, or the file is damaged beyond its backups.</exception>
    public static XSegMasker Load(string workspace, PluginCatalog catalog, ILogger log)
    {
        (XSegCheckpointHeader header, string file, string? warning) = XSegWorkspace.Find(workspace);
        if (warning is not null)
        {
            log.LogWarning("{Warning}", warning);
        }

        ISegmentationModel model = catalog.Create<ISegmentationModel>(header.Options.Model);
        SegmentationNetwork network = model.Create(header.Options);
        try
        {
            Checkpoint.LoadWeights(file, network);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or EndOfStreamException)
        {
            network.Dispose();
            throw new BadInputException($"{file}: the weights do not load ({ex.Message}); use a backup from its backups/ folder or train again.", ex);
        }

        network.eval();
        log.LogInformation("XSeg {File}: {Resolution} px, {FaceType}, iteration {Iteration}", file, header.Options.Resolution, header.Options.FaceType.ShortName(), header.Iteration);
        return new XSegMasker(network, header.Options, header.Iteration);
    }

    /// <summary>Wraps an in-memory network (tests and the trainer's own measurements).</summary>
    public static XSegMasker FromNetwork(SegmentationNetwork network, SegmentationOptions options)
    {
        network.eval();
        return new XSegMasker(network, options, 0);
    }

    /// <summary>The mask of one aligned face: <c>Width * Height</c> floats in [0, 1], row-major, 1 = face.</summary>
    public float[] Predict(ImageFrame alignedFace) => PredictBatch([alignedFace])[0];

    /// <summary>Masks of several faces in one forward pass (faces may differ in size).</summary>
    public IReadOnlyList<float[]> PredictBatch(IReadOnlyList<ImageFrame> faces)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        int res = Resolution, plane = res * res;
        var input = new float[faces.Count * 3 * plane];
        for (int i = 0; i < faces.Count; i++)
        {
            using Mat face = Mat.FromPixelData(faces[i].Height, faces[i].Width, MatType.CV_8UC3, faces[i].Pixels);
            using var sized = new Mat();
            bool shrink = faces[i].Width > res || faces[i].Height > res;
            Cv2.Resize(face, sized, new OpenCvSharp.Size(res, res), interpolation: shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
            sized.GetArray(out Vec3b[] pixels);
            int offset = i * 3 * plane;
            for (int j = 0; j < plane; j++)
            {
                input[offset + j] = pixels[j].Item0 / 255f;
                input[offset + plane + j] = pixels[j].Item1 / 255f;
                input[offset + (2 * plane) + j] = pixels[j].Item2 / 255f;
            }
        }

        float[] output = Forward(input, faces.Count);
        var masks = new float[faces.Count][];
        for (int i = 0; i < faces.Count; i++)
        {
            using Mat small = Mat.FromPixelData(res, res, MatType.CV_32FC1, output.AsSpan(i * plane, plane).ToArray());
            if (faces[i].Width == res && faces[i].Height == res)
            {
                small.GetArray(out masks[i]);
                continue;
            }

            using var full = new Mat();
            Cv2.Resize(small, full, new OpenCvSharp.Size(faces[i].Width, faces[i].Height), interpolation: InterpolationFlags.Linear);
            full.GetArray(out masks[i]);
        }

        return masks;
    }

    public void Dispose() => _network.Dispose();

    private float[] Forward(float[] input, int count)
    {
        // One forward at a time: concurrent calls into this module from merge workers tripped an internal libtorch
        // assert (seen once in a dflc-mask run); libtorch already spreads one pass over every core.
        lock (_forward)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            Tensor x = tensor(input, [count, 3, Resolution, Resolution]);
            Tensor probability = _network.call(x).sigmoid();
            return probability.contiguous().data<float>().ToArray();
        }
    }
}
