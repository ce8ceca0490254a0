using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Plugins;
using TorchSharp;

namespace DFLComposite.Engine.Identity;

/// <summary>
/// Turns a face into an identity descriptor: two photos of one person give nearby descriptors, two people far
/// ones. Used by the extract reference filter, the training identity loss and <c>dflc evaluate</c>.
/// Lives in the engine (not Abstractions) because training needs the differentiable <see cref="Forward"/>.
/// </summary>
[PluginFamily("evaluate", "embedder")]
public interface IFaceEmbedder : IPluginPart
{
    /// <summary>Length of a descriptor.</summary>
    int Dimensions { get; }

    /// <summary>Side in pixels of the square chip <see cref="Forward"/> takes.</summary>
    int ChipSize { get; }

    /// <summary>Euclidean distance below which two descriptors are taken as the same person.</summary>
    float SamePersonThreshold { get; }

    /// <summary>Map from the frame the 68 points are in to chip pixels (how this network wants faces cut).</summary>
    Affine2D ChipTransform(IReadOnlyList<PointF> points68);

    /// <summary>The descriptor of the face with these landmarks in <paramref name="frame"/>. Thread-safe.</summary>
    float[] Embed(ImageFrame frame, IReadOnlyList<PointF> points68);

    /// <summary>
    /// Differentiable descriptors of chips: N x 3 x <see cref="ChipSize"/> x <see cref="ChipSize"/>, RGB in [0, 1],
    /// float32 on any device → N x <see cref="Dimensions"/>. Gradients flow to the chips, not to the weights.
    /// </summary>
    torch.Tensor Forward(torch.Tensor chips);
}

/// <summary>Distances between descriptors.</summary>
public static class FaceDescriptor
{
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Descriptors differ in length ({a.Length} vs {b.Length}).");
        }

        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return (float)Math.Sqrt(sum);
    }
}
