using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// Writes a trained XSeg model's mask into every face of a faceset (<c>mask</c> in the metadata, PNG at the face's
/// own size). Each face is cut at the model's face type and resolution through its landmarks, so a model trained on
/// wf masks an f or head faceset too; the mask is warped back onto the face's pixels. Only metadata is rewritten.
/// </summary>
public static class XSegApply
{
    private const int BatchSize = 8;

    /// <returns>How many faces got a mask.</returns>
    public static int Run(XSegMasker masker, FaceSet set, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        int total = set.Faces.Count, done = 0;
        foreach (FaceSetEntry[] chunk in set.Faces.Chunk(BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var cuts = chunk.Select(e => Cut(masker, set.PathOf(e))).ToArray();
            IReadOnlyList<float[]> masks = masker.PredictBatch(cuts.Select(c => c.Model).ToArray());
            for (int i = 0; i < chunk.Length; i++)
            {
                using Mat model = MaskLabels.FromFloats(masks[i], masker.Resolution, masker.Resolution);
                using Mat face = SegmentationCrop.ToFace(model, cuts[i].FaceToModel, cuts[i].Size);
                byte[] png = MaskLabels.EncodePng(face);
                AlignedFaceFile.UpdateMetadata(set.PathOf(chunk[i]), m => m with { MaskPng = png });
            }

            done += chunk.Length;
            progress?.Report((done, total));
        }

        return done;
    }

    /// <summary>Predicted mask of one face file at its own size (8-bit), without writing anything.</summary>
    public static Mat Predict(XSegMasker masker, string faceFile)
    {
        (ImageFrame model, Affine2D toModel, int size) = Cut(masker, faceFile);
        using Mat m = MaskLabels.FromFloats(masker.Predict(model), masker.Resolution, masker.Resolution);
        return SegmentationCrop.ToFace(m, toModel, size);
    }

    private static (ImageFrame Model, Affine2D FaceToModel, int Size) Cut(XSegMasker masker, string path)
    {
        AlignedFace face = AlignedFaceFile.Read(path);
        Affine2D toModel = SegmentationCrop.FaceToModel(face.Metadata, masker.Options.FaceType, masker.Resolution);
        using Mat image = face.Image.AsMat();
        using Mat cut = SegmentationCrop.ToModel(image, toModel, masker.Resolution);
        return (cut.ToFrame(), toModel, face.Metadata.Size);
    }
}
