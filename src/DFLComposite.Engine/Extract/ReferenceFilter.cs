using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;

namespace DFLComposite.Engine.Extract;

/// <summary>
/// Keeps the faces of one person (<c>dflc extract --reference</c>): a face is kept when its identity descriptor
/// lies within <see cref="Threshold"/> of the descriptor of any reference photo. Several references (different
/// light, angle, age) widen what counts as that person. Thread-safe: extraction calls it from its workers.
/// </summary>
public sealed class ReferenceFilter
{
    /// <summary>The identity embedder plugin hosts create for the filter.</summary>
    public const string DefaultEmbedder = "facerec";

    private readonly IFaceEmbedder _embedder;
    private readonly IReadOnlyList<float[]> _references;
    private long _kept, _rejected;

    public ReferenceFilter(IFaceEmbedder embedder, IReadOnlyList<float[]> references, float? threshold = null)
    {
        if (references.Count == 0)
        {
            throw new ArgumentException("Need at least one reference descriptor.", nameof(references));
        }

        _embedder = embedder;
        _references = references;
        Threshold = threshold ?? embedder.SamePersonThreshold;
        if (!(Threshold > 0))
        {
            throw Settings.JobValidationException.For("referenceThreshold", $"{Threshold} must be positive (the embedder's own is {embedder.SamePersonThreshold})");
        }
    }

    /// <summary>Largest descriptor distance to the nearest reference that still counts as the same person.</summary>
    public float Threshold { get; }

    /// <summary>Faces kept and turned away so far.</summary>
    public (long Kept, long Rejected) Counts => (Interlocked.Read(ref _kept), Interlocked.Read(ref _rejected));

    /// <summary>
    /// Reads each reference photo, finds its largest face and embeds it.
    /// </summary>
    /// <exception cref="MediaException">A reference file is missing or not an image.</exception>
    /// <exception cref="NoFaceException">A reference photo shows no face (the message names it).</exception>
    public static ReferenceFilter FromPhotos(
        IFaceEmbedder embedder, IFaceDetector detector, ILandmarker landmarker, IReadOnlyList<string> photos, float? threshold, float minScore = 0.5f)
    {
        var descriptors = new List<float[]>();
        foreach (string photo in photos)
        {
            ImageFrame frame = ImageIO.Read(photo);
            // Largest face first; a group photo as reference means its most prominent person.
            FaceLandmarks? landmarks = detector.Detect(frame, minScore)
                .OrderByDescending(f => f.Box.Area)
                .Select(f => landmarker.Locate(frame, f))
                .FirstOrDefault(l => l is not null);
            if (landmarks is null)
            {
                throw new NoFaceException(
                    $"Reference image {photo} shows no face. Give a photo where the person's face is clearly visible (--reference).");
            }

            descriptors.Add(embedder.Embed(frame, landmarks.Points68));
        }

        return new ReferenceFilter(embedder, descriptors, threshold);
    }

    /// <summary>Distance from this face's descriptor to the nearest reference.</summary>
    public float Distance(ImageFrame frame, FaceLandmarks landmarks)
    {
        float[] d = _embedder.Embed(frame, landmarks.Points68);
        return _references.Min(r => FaceDescriptor.Distance(d, r));
    }

    /// <summary>Whether this face is the reference person.</summary>
    public bool Keeps(ImageFrame frame, FaceLandmarks landmarks)
    {
        bool keep = Distance(frame, landmarks) < Threshold;
        Interlocked.Increment(ref keep ? ref _kept : ref _rejected);
        return keep;
    }
}
