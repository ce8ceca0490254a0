using DFLComposite.Engine.Align;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// Takes an aligned face from its faceset's face type and size to a segmentation model's (through the source
/// landmarks, so a wf 512 faceset feeds a wf 64 model and an f faceset a wf model) and back.
/// </summary>
public static class SegmentationCrop
{
    /// <summary>Map from the face file's pixels to the model's square of <paramref name="resolution"/> px.</summary>
    public static Affine2D FaceToModel(AlignedFaceMetadata m, FaceType type, int resolution)
    {
        if (m.Type == type)
        {
            // Same crop, other size: a pure scale (exact even for faces imported without source landmarks).
            double k = (double)resolution / m.Size;
            return new Affine2D(k, 0, 0, 0, k, 0);
        }

        PointF[] source68 = AlignedFaceMetadata.Unpack(m.SourceLandmarks68);
        return FaceAligner.ImageToFace(source68, type, resolution).After(m.ImageToFaceMap.Invert());
    }

    /// <summary>Warps a face-space image (any channel count) into model space.</summary>
    public static Mat ToModel(Mat faceImage, Affine2D faceToModel, int resolution)
    {
        // warpAffine has no area filter: shrink by area first when going much smaller, or fine detail aliases.
        Mat source = faceImage;
        Affine2D map = faceToModel;
        if (faceToModel.Scale < 0.75)
        {
            int side = Math.Max(1, (int)Math.Round(faceImage.Width * faceToModel.Scale));
            double k = (double)side / faceImage.Width;
            source = new Mat();
            Cv2.Resize(faceImage, source, new Size(side, (int)Math.Round(faceImage.Height * k)), interpolation: InterpolationFlags.Area);
            map = faceToModel.After(new Affine2D(1 / k, 0, 0, 0, 1 / k, 0));
        }

        using Mat m = FaceWarper.ToMat(map);
        var output = new Mat();
        Cv2.WarpAffine(source, output, m, new Size(resolution, resolution), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        if (!ReferenceEquals(source, faceImage))
        {
            source.Dispose();
        }

        return output;
    }

    /// <summary>Warps a model-space mask back onto the face's own pixels.</summary>
    public static Mat ToFace(Mat modelMask, Affine2D faceToModel, int faceSize)
    {
        using Mat map = FaceWarper.ToMat(faceToModel.Invert());
        var output = new Mat();
        Cv2.WarpAffine(modelMask, output, map, new Size(faceSize, faceSize), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return output;
    }
}
