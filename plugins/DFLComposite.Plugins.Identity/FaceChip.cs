using System.Runtime.InteropServices;
using DFLComposite.Engine.Align;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Torch;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using Size = OpenCvSharp.Size;
using Tensor = TorchSharp.torch.Tensor;

namespace DFLComposite.Plugins.Identity;

/// <summary>Ways to cut the network's square chip from 68 landmarks (measured against each other in the tests).</summary>
public enum ChipCrop
{
    /// <summary>
    /// dlib's get_face_chip_details(shape, 150, 0.25), which the network was trained on: a similarity fit of the
    /// eyes, nose and upper lip to dlib's mean face, the unit face grown by 25% on each side. Upright and scaled.
    /// </summary>
    DlibTemplate,

    /// <summary>
    /// face-api.js's default: the landmarks' bounding box padded by 20% (10% each side), letterboxed to a
    /// square with black and resized. Not de-rotated.
    /// </summary>
    LandmarkBox,

    /// <summary>As <see cref="DlibTemplate"/> with DeepFaceLab's fit (points 17-48 and 54, brows included).</summary>
    DflTemplate,
}

/// <summary>Maps from a frame to a chip, and the cut itself.</summary>
public static class FaceChip
{
    // dlib's mean face: the average positions of 68-point landmarks 17-67 in a unit square (dlib's published template).
    private static readonly float[] MeanX =
    [
        0.000213256f, 0.0752622f, 0.18113f, 0.29077f, 0.393397f, 0.586856f, 0.689483f, 0.799124f, 0.904991f, 0.98004f,
        0.490127f, 0.490127f, 0.490127f, 0.490127f, 0.36688f, 0.426036f, 0.490127f, 0.554217f, 0.613373f, 0.121737f,
        0.187122f, 0.265825f, 0.334606f, 0.260918f, 0.182743f, 0.645647f, 0.714428f, 0.793132f, 0.858516f, 0.79751f,
        0.719335f, 0.254149f, 0.340985f, 0.428858f, 0.490127f, 0.551395f, 0.639268f, 0.726104f, 0.642159f, 0.556721f,
        0.490127f, 0.423532f, 0.338094f, 0.290379f, 0.428096f, 0.490127f, 0.552157f, 0.689874f, 0.553364f, 0.490127f,
        0.42689f,
    ];

    private static readonly float[] MeanY =
    [
        0.106454f, 0.038915f, 0.0187482f, 0.0344891f, 0.0773906f, 0.0773906f, 0.0344891f, 0.0187482f, 0.038915f, 0.106454f,
        0.203352f, 0.307009f, 0.409805f, 0.515625f, 0.587326f, 0.609345f, 0.628106f, 0.609345f, 0.587326f, 0.216423f,
        0.178758f, 0.179852f, 0.231733f, 0.245099f, 0.244077f, 0.231733f, 0.179852f, 0.178758f, 0.216423f, 0.244077f,
        0.245099f, 0.780233f, 0.745405f, 0.727388f, 0.742578f, 0.727388f, 0.745405f, 0.780233f, 0.864805f, 0.902192f,
        0.909281f, 0.902192f, 0.864805f, 0.784792f, 0.778746f, 0.785343f, 0.778746f, 0.784792f, 0.824182f, 0.831803f,
        0.824182f,
    ];

    // dlib leaves out the brows (17-26) and the lower lip (55-59, 65-67): they move with expression, not identity.
    private static readonly int[] DlibFit = [.. Enumerable.Range(27, 28), .. Enumerable.Range(60, 5)];

    /// <summary>Frame-to-chip map for a <paramref name="size"/>-pixel chip.</summary>
    public static Affine2D Transform(ChipCrop crop, IReadOnlyList<PointF> points68, int size)
    {
        if (points68.Count != 68)
        {
            throw new ArgumentException("Need 68 landmarks.", nameof(points68));
        }

        return crop switch
        {
            ChipCrop.DlibTemplate => Template(DlibFit, points68, size, 0.25f),
            ChipCrop.DflTemplate => Template(MeanFace.Indices, points68, size, 0.25f),
            ChipCrop.LandmarkBox => LandmarkBox(points68, size, 0.2f),
            _ => throw new ArgumentOutOfRangeException(nameof(crop)),
        };
    }

    /// <summary>
    /// The chip as an 8-bit BGR Mat. Large faces are first shrunk with area averaging (as dlib's chip extractor
    /// uses an image pyramid) so that the bilinear warp does not alias.
    /// </summary>
    public static Mat Cut(ImageFrame frame, Affine2D toChip, int size)
    {
        using Mat src = frame.AsMat();
        Affine2D toFrame = toChip.Invert();
        PointF[] corners = toFrame.Apply([new PointF(0, 0), new PointF(size, 0), new PointF(0, size), new PointF(size, size)]);
        int x0 = Math.Clamp((int)Math.Floor(corners.Min(p => p.X)) - 2, 0, frame.Width);
        int y0 = Math.Clamp((int)Math.Floor(corners.Min(p => p.Y)) - 2, 0, frame.Height);
        int x1 = Math.Clamp((int)Math.Ceiling(corners.Max(p => p.X)) + 2, 0, frame.Width);
        int y1 = Math.Clamp((int)Math.Ceiling(corners.Max(p => p.Y)) + 2, 0, frame.Height);
        var chip = new Mat(size, size, MatType.CV_8UC3, Scalar.All(0));
        if (x1 - x0 < 2 || y1 - y0 < 2)
        {
            return chip; // the face is outside the frame: nothing to see
        }

        using var roi = new Mat(src, new Rect(x0, y0, x1 - x0, y1 - y0));
        double scale = toChip.Scale;
        using Mat shrunk = new();
        Mat from = roi;
        var roiToFrame = new Affine2D(1, 0, x0, 0, 1, y0);
        if (scale < 0.75)
        {
            int w = Math.Max(2, (int)Math.Round(roi.Width * scale)), h = Math.Max(2, (int)Math.Round(roi.Height * scale));
            Cv2.Resize(roi, shrunk, new Size(w, h), 0, 0, InterpolationFlags.Area);
            from = shrunk;
            roiToFrame = new Affine2D((double)roi.Width / w, 0, x0, 0, (double)roi.Height / h, y0);
        }

        using Mat m = FaceWarper.ToMat(toChip.After(roiToFrame));
        Cv2.WarpAffine(from, chip, m, new Size(size, size), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return chip;
    }

    // Similarity fit of the chosen points to dlib's template placed in a square grown by `padding` on each side.
    private static Affine2D Template(IReadOnlyList<int> indices, IReadOnlyList<PointF> points68, int size, float padding)
    {
        PointF[] from = indices.Select(i => points68[i]).ToArray();
        PointF[] to = indices.Select(i => new PointF(
            (padding + MeanX[i - 17]) / (1 + (2 * padding)) * size,
            (padding + MeanY[i - 17]) / (1 + (2 * padding)) * size)).ToArray();
        return Umeyama.Fit(from, to);
    }

    private static Affine2D LandmarkBox(IReadOnlyList<PointF> points68, int size, float padding)
    {
        float x0 = points68.Min(p => p.X), y0 = points68.Min(p => p.Y), x1 = points68.Max(p => p.X), y1 = points68.Max(p => p.Y);
        float w = (x1 - x0) * (1 + padding), h = (y1 - y0) * (1 + padding);
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        double k = size / (double)Math.Max(w, h);
        return new Affine2D(k, 0, (size / 2.0) - (k * cx), 0, k, (size / 2.0) - (k * cy));
    }

    /// <summary>A BGR chip as a 1 x 3 x H x W RGB tensor in [0, 1].</summary>
    public static Tensor ToTensor(Mat bgrChip)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgrChip, rgb, ColorConversionCodes.BGR2RGB);
        byte[] bytes = new byte[rgb.Width * rgb.Height * 3];
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length); // a fresh Mat from CvtColor is continuous
        using Tensor hwc = TorchSharp.torch.tensor(bytes, [1, rgb.Height, rgb.Width, 3]);
        using Tensor chw = hwc.permute(0, 3, 1, 2);
        return chw.to_type(TorchSharp.torch.ScalarType.Float32).div_(Scalars.S(255));
    }
}
