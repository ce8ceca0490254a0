using TorchSharp;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Torch;
using DFLComposite.Faces;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>
/// The identity loss (<c>--identity-weight</c>): cosine distance between the identity descriptor of the swapped face
/// (dst rendered as src) and the src person's mean descriptor, so the swap is pushed towards who the src is, not
/// only towards pixels that reconstruct well. The descriptor network is frozen; gradients reach the swap model
/// through a differentiable crop (affine grid sample) from the model's face square to the embedder's chip.
/// </summary>
public sealed class IdentityLoss : IDisposable
{
    private readonly IFaceEmbedder _embedder;
    private readonly Tensor _theta;
    private readonly Tensor _srcIdentity;
    private readonly int _chip;

    private IdentityLoss(IFaceEmbedder embedder, Tensor theta, Tensor srcIdentity)
    {
        _embedder = embedder;
        _theta = theta;
        _srcIdentity = srcIdentity;
        _chip = embedder.ChipSize;
    }

    /// <summary>
    /// Prepares the loss for a model: where the chip sits in the model's square (from the mean of the src faces'
    /// landmarks there — faces are aligned, so one crop fits all within the augmentation's few degrees) and the src
    /// person's mean descriptor.
    /// </summary>
    public static IdentityLoss Create(IFaceEmbedder embedder, FaceSet src, SwapModelOptions options)
    {
        IReadOnlyList<FaceSetEntry> faces = src.Faces.Count <= 32 ? src.Faces : Enumerable.Range(0, 32).Select(i => src.Faces[i * src.Faces.Count / 32]).ToList();
        if (faces.Count == 0)
        {
            throw new UserErrorException($"{src.Directory} has no faces for the identity loss.");
        }

        var mean68 = new PointF[68];
        var identity = new double[embedder.Dimensions];
        foreach (FaceSetEntry entry in faces)
        {
            AlignedFace face = AlignedFaceFile.Read(src.PathOf(entry));
            PointF[] crop = FaceSample.ModelLandmarks(face.Metadata, options.FaceType, options.Resolution);
            for (int i = 0; i < 68; i++)
            {
                mean68[i] += crop[i] * (1f / faces.Count);
            }

            float[] d = embedder.Embed(face.Image, AlignedFaceMetadata.Unpack(face.Metadata.Landmarks68));
            for (int i = 0; i < d.Length; i++)
            {
                identity[i] += d[i] / faces.Count;
            }
        }

        Affine2D chipToCrop = embedder.ChipTransform(mean68).Invert();
        Tensor theta = Theta(chipToCrop, embedder.ChipSize, options.Resolution);
        Tensor srcIdentity = tensor(identity.Select(v => (float)v).ToArray(), [1, embedder.Dimensions]);
        return new IdentityLoss(embedder, theta, srcIdentity);
    }

    /// <summary>Mean cosine distance (0 = same direction, 2 = opposite) of the faces' descriptors to the src person's.</summary>
    /// <param name="faces">N x 3 x R x R BGR in [0, 1], the swap network's output.</param>
    public Tensor Loss(Tensor faces)
    {
        Tensor e = Embed(faces);
        return nn.functional.cosine_similarity(e, _srcIdentity.to(e.device), 1).SubtractedFrom(1).mean();
    }

    /// <summary>Descriptors of model-square faces (BGR, [0, 1]), differentiable.</summary>
    public Tensor Embed(Tensor faces)
    {
        long n = faces.shape[0];
        Tensor theta = _theta.to(faces.device).expand(n, 2, 3);
        Tensor grid = nn.functional.affine_grid(theta, [n, 3, _chip, _chip], align_corners: false);
        Tensor rgb = faces.flip(1); // BGR -> RGB
        Tensor chips = nn.functional.grid_sample(rgb, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return _embedder.Forward(chips);
    }

    /// <summary>Distance of a descriptor from the src person's (for validation metrics).</summary>
    public Tensor SrcDistance(Tensor descriptors) => (descriptors - _srcIdentity.to(descriptors.device)).Squared().sum(1).sqrt();

    /// <summary>
    /// affine_grid's theta for "chip pixel -> crop pixel" with align_corners false: both sides in normalised
    /// coordinates, x_n = (2 x + 1) / size - 1.
    /// </summary>
    private static Tensor Theta(Affine2D chipToCrop, int chip, int crop)
    {
        double s = chip, r = crop;
        (double a, double b, double c, double d, double e, double f) = (chipToCrop.A, chipToCrop.B, chipToCrop.C, chipToCrop.D, chipToCrop.E, chipToCrop.F);
        float[] t =
        [
            (float)(a * s / r), (float)(b * s / r), (float)((((a + b) * (s - 1)) + (2 * c) + 1) / r - 1),
            (float)(d * s / r), (float)(e * s / r), (float)((((d + e) * (s - 1)) + (2 * f) + 1) / r - 1),
        ];
        return tensor(t, [1, 2, 3]);
    }

    public void Dispose()
    {
        _theta.Dispose();
        _srcIdentity.Dispose();
    }
}
