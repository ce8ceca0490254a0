using DFLComposite.Media;

namespace DFLComposite.Faces;

/// <summary>An aligned face image and the metadata that says where it came from.</summary>
public sealed record AlignedFace(ImageFrame Image, AlignedFaceMetadata Metadata);
