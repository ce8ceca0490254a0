using DFLComposite.Engine.Align;
using DFLComposite.Faces;
using DFLComposite.Media;

namespace DFLComposite.Engine.Extract;

/// <summary>Turns a located face into an <see cref="AlignedFace"/>: alignment, warp and metadata.</summary>
public static class FaceCutter
{
    public static AlignedFace Cut(
        ImageFrame frame,
        DetectedFace face,
        FaceLandmarks landmarks,
        FaceType type,
        int size,
        string sourceFile,
        string sourceClip,
        long frameIndex,
        int faceIndex)
    {
        Affine2D map = FaceAligner.ImageToFace(landmarks.Points68, type, size);
        ImageFrame image;
        using (Diagnostics.StageTimes.Measure("warp"))
        {
            image = FaceWarper.Warp(frame, map, size);
        }

        var metadata = new AlignedFaceMetadata
        {
            FaceType = type.ShortName(),
            Size = size,
            Landmarks68 = AlignedFaceMetadata.Pack(map.Apply(landmarks.Points68)),
            Landmarks468 = landmarks.Mesh.Count > 0 ? AlignedFaceMetadata.Pack(map.Apply(landmarks.Mesh)) : null,
            SourceLandmarks68 = AlignedFaceMetadata.Pack(landmarks.Points68),
            SourceFile = sourceFile,
            SourceClip = sourceClip,
            FrameIndex = frameIndex,
            FaceIndex = faceIndex,
            SourceRect = [face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height],
            ImageToFace = map.ToArray(),
            SourceSize = [frame.Width, frame.Height],
            DetectorScore = face.Score,
            LandmarkScore = landmarks.Confidence,
        };
        return new AlignedFace(image, metadata);
    }
}
