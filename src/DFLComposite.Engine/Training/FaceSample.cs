using DFLComposite.Engine.Align;
using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Training;

/// <summary>
/// One face prepared for the model: resampled from the faceset's face type and size to the model's
/// (through the source-frame landmarks, so a wf 512 faceset feeds an f 64 model), with its landmark hull mask
/// and eye/mouth mask at model resolution. Computed once per face and cached.
/// </summary>
public sealed class FaceSample : IDisposable
{
    private FaceSample(Mat image, Mat mask, Mat eyesMouth, float yaw)
    {
        Image = image;
        Mask = mask;
        EyesMouth = eyesMouth;
        Yaw = yaw;
    }

    /// <summary>BGR, CV_32FC3 in [0, 1].</summary>
    public Mat Image { get; }

    /// <summary>CV_32FC1 in [0, 1], the landmark hull slightly blurred (or the XSeg mask when present).</summary>
    public Mat Mask { get; }

    /// <summary>CV_32FC1, 1 on the eyes and mouth.</summary>
    public Mat EyesMouth { get; }

    public float Yaw { get; }

    public static FaceSample Load(string path, FaceType type, int resolution)
    {
        AlignedFace face = AlignedFaceFile.Read(path);
        AlignedFaceMetadata m = face.Metadata;
        Affine2D faceToModel = FaceToModel(m, type, resolution);
        PointF[] model68 = faceToModel.Apply(AlignedFaceMetadata.Unpack(m.Landmarks68));

        using Mat bgr = Media.FramePixels.AsMat(face.Image);
        using Mat map = Align.FaceWarper.ToMat(faceToModel);
        using var warped = new Mat();
        Cv2.WarpAffine(bgr, warped, map, new Size(resolution, resolution), InterpolationFlags.Area, BorderTypes.Replicate);
        var image = new Mat();
        warped.ConvertTo(image, MatType.CV_32FC3, 1.0 / 255);

        Mat mask = XSegMask(m, map, resolution) ?? HullMask(model68, resolution);

        var eyesMouth = new Mat(resolution, resolution, MatType.CV_32FC1, Scalar.All(0));
        foreach (System.Range part in new[] { 36..42, 42..48, 48..60 })
        {
            Cv2.FillConvexPoly(eyesMouth, Cv2.ConvexHull(model68[part].Select(ToPoint)), Scalar.All(1));
        }

        int grow = Math.Max(3, (resolution / 16) | 1);
        using Mat kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(grow, grow));
        Cv2.Dilate(eyesMouth, eyesMouth, kernel);
        (float yaw, _) = Pose.FromAligned(model68);
        return new FaceSample(image, mask, eyesMouth, yaw);
    }

    /// <summary>
    /// The face's XSeg mask in the model's crop, when <c>dflc xseg apply</c> stored one: it follows the real face
    /// edge, excludes hair, hands and glasses, so masked training learns only the face (DFL trains on XSeg masks too).
    /// </summary>
    private static Mat? XSegMask(AlignedFaceMetadata m, Mat faceToModel, int resolution)
    {
        using Mat? stored = Segmentation.MaskLabels.PredictedMask(m);
        if (stored is null)
        {
            return null;
        }

        using var warped = new Mat();
        Cv2.WarpAffine(stored, warped, faceToModel, new Size(resolution, resolution), InterpolationFlags.Area, BorderTypes.Constant, Scalar.All(0));
        var mask = new Mat();
        warped.ConvertTo(mask, MatType.CV_32FC1, 1.0 / 255);
        return mask;
    }

    private static Mat HullMask(PointF[] model68, int resolution)
    {
        var mask = new Mat(resolution, resolution, MatType.CV_32FC1, Scalar.All(0));
        Cv2.FillConvexPoly(mask, Cv2.ConvexHull(model68.Select(ToPoint)), Scalar.All(1));
        int blur = Math.Max(3, (resolution / 32) | 1);
        Cv2.GaussianBlur(mask, mask, new Size(blur, blur), 0);
        return mask;
    }

    /// <summary>The face's 68 points in the model's crop (face type and resolution).</summary>
    public static PointF[] ModelLandmarks(AlignedFaceMetadata m, FaceType type, int resolution) =>
        FaceToModel(m, type, resolution).Apply(AlignedFaceMetadata.Unpack(m.Landmarks68));

    /// <summary>Map from the stored aligned face to the model's crop, through the source-frame landmarks.</summary>
    private static Affine2D FaceToModel(AlignedFaceMetadata m, FaceType type, int resolution) =>
        FaceAligner.ImageToFace(AlignedFaceMetadata.Unpack(m.SourceLandmarks68), type, resolution).After(m.ImageToFaceMap.Invert());

    public void Dispose()
    {
        Image.Dispose();
        Mask.Dispose();
        EyesMouth.Dispose();
    }

    private static Point ToPoint(PointF p) => new((int)Math.Round(p.X), (int)Math.Round(p.Y));
}
