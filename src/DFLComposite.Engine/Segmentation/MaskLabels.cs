using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// XSeg labels as pictures and back: include/exclude polygons drawn in order into a mask, a mask traced into
/// polygons, and the starting label a face mesh gives (its outer oval). Masks are 8-bit, 255 = face.
/// </summary>
public static class MaskLabels
{
    /// <summary>
    /// MediaPipe's FACEMESH_FACE_OVAL as one closed path (forehead top, down the left side of the image, chin,
    /// up the other side): the outline of the 468-point mesh, from hairline to jaw.
    /// </summary>
    public static readonly int[] FaceOvalIndices =
    [
        10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150,
        136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
    ];

    /// <summary>Polygons drawn in order (include fills 255, exclude fills 0), as DeepFaceLab overlays them.</summary>
    public static Mat Rasterise(IReadOnlyList<MaskPolygon> polygons, int width, int height)
    {
        var mask = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
        const int shift = 4; // sub-pixel vertices: a 64-px label drawn from 512-px points keeps its shape
        foreach (MaskPolygon polygon in polygons.Where(p => p.Points.Length >= 3))
        {
            Point[] points = polygon.Points.Select(p => new Point((int)Math.Round(p[0] * (1 << shift)), (int)Math.Round(p[1] * (1 << shift)))).ToArray();
            Cv2.FillPoly(mask, [points], Scalar.All(polygon.Include ? 255 : 0), LineTypes.Link8, shift);
        }

        return mask;
    }

    /// <summary>
    /// Traces a mask (white = face, threshold at half) into polygons: outer boundaries include, holes exclude,
    /// islands in holes include again, in that order so <see cref="Rasterise"/> gives the mask back.
    /// </summary>
    public static List<MaskPolygon> FromMask(Mat mask, double tolerance = 0.75)
    {
        using var gray = new Mat();
        if (mask.Channels() == 1)
        {
            mask.CopyTo(gray);
        }
        else
        {
            Cv2.CvtColor(mask, gray, mask.Channels() == 4 ? ColorConversionCodes.BGRA2GRAY : ColorConversionCodes.BGR2GRAY);
        }

        using var binary = new Mat();
        Cv2.Threshold(gray, binary, 127, 255, ThresholdTypes.Binary);
        // Level by level: outlines of the white regions (include), then outlines of the holes inside them (exclude),
        // then of islands in those holes (include) ... Each level traces its own pixels (a contour runs along the
        // pixels of the region it outlines), so drawing the polygons in order gives the mask back.
        var polygons = new List<MaskPolygon>();
        Mat current = binary.Clone();
        for (int depth = 0; depth < 16 && Cv2.CountNonZero(current) > 0; depth++)
        {
            Cv2.FindContours(current, out Point[][] contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxNone);
            using var filled = new Mat(current.Size(), MatType.CV_8UC1, Scalar.All(0));
            Cv2.DrawContours(filled, contours, -1, Scalar.All(255), -1);
            foreach (Point[] contour in contours)
            {
                Point[] simple = Cv2.ApproxPolyDP(contour, tolerance, closed: true);
                if (simple.Length >= 3)
                {
                    polygons.Add(new MaskPolygon(depth % 2 == 0, simple.Select(p => new[] { (float)p.X, (float)p.Y }).ToArray()));
                }
            }

            var next = new Mat();
            Cv2.Subtract(filled, current, next); // inside this level's outlines but not part of it: the next level
            current.Dispose();
            current = next;
        }

        current.Dispose();
        return polygons;
    }

    /// <summary>The include polygon of the 468-point mesh's face oval, or null when the face has no mesh.</summary>
    public static MaskPolygon? FaceOval(AlignedFaceMetadata metadata)
    {
        float[][]? mesh = metadata.Landmarks468;
        if (mesh is null || mesh.Length < 468)
        {
            return null;
        }

        return new MaskPolygon(true, FaceOvalIndices.Select(i => new[] { mesh[i][0], mesh[i][1] }).ToArray());
    }

    /// <summary>The label mask of a face at its own size (all zero when it has no labels).</summary>
    public static Mat LabelMask(AlignedFaceMetadata metadata) =>
        Rasterise(metadata.MaskPolygons ?? [], metadata.Size, metadata.Size);

    /// <summary>8-bit PNG of a mask in [0, 1] (row-major floats) or an 8-bit Mat.</summary>
    public static byte[] EncodePng(Mat mask8)
    {
        Cv2.ImEncode(".png", mask8, out byte[] png, new ImageEncodingParam(ImwriteFlags.PngCompression, 3));
        return png;
    }

    public static Mat FromFloats(float[] values, int width, int height)
    {
        using var f = Mat.FromPixelData(height, width, MatType.CV_32FC1, values);
        var m = new Mat();
        f.ConvertTo(m, MatType.CV_8UC1, 255);
        return m;
    }

    /// <summary>The predicted mask stored in a face's metadata, 8-bit at the face's size, or null.</summary>
    public static Mat? PredictedMask(AlignedFaceMetadata metadata)
    {
        if (metadata.MaskPng is not { Length: > 0 } png)
        {
            return null;
        }

        Mat m = Cv2.ImDecode(png, ImreadModes.Grayscale);
        if (m.Empty())
        {
            m.Dispose();
            return null;
        }

        if (m.Width != metadata.Size || m.Height != metadata.Size)
        {
            Cv2.Resize(m, m, new Size(metadata.Size, metadata.Size), interpolation: InterpolationFlags.Linear);
        }

        return m;
    }

    /// <summary>Intersection over union of two masks thresholded at half.</summary>
    public static double IoU(Mat a, Mat b)
    {
        using var ba = new Mat();
        using var bb = new Mat();
        Cv2.Threshold(a, ba, 127, 255, ThresholdTypes.Binary);
        Cv2.Threshold(b, bb, 127, 255, ThresholdTypes.Binary);
        using var inter = new Mat();
        using var union = new Mat();
        Cv2.BitwiseAnd(ba, bb, inter);
        Cv2.BitwiseOr(ba, bb, union);
        int u = Cv2.CountNonZero(union);
        return u == 0 ? 1.0 : (double)Cv2.CountNonZero(inter) / u;
    }
}
