using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Facesets;

/// <summary>
/// A PNG grid of faces (evenly sampled when there are more than fit), optionally with landmarks and masks: the
/// predicted mask tints the face green, XSeg label polygons are outlined (include red, exclude blue).
/// </summary>
public static class ContactSheet
{
    public static void Write(FaceSet set, string outputPng, int columns = 10, int maxFaces = 100, int tile = 128, bool landmarks = false, bool masks = false)
    {
        IReadOnlyList<FaceSetEntry> faces = set.Faces;
        int count = Math.Min(maxFaces, faces.Count);
        var picked = Enumerable.Range(0, count).Select(i => faces[(int)((long)i * faces.Count / count)]).ToArray();
        int rows = (count + columns - 1) / columns;
        using var sheet = new Mat(rows * tile, Math.Min(columns, count) * tile, MatType.CV_8UC3, Scalar.All(32));
        for (int i = 0; i < picked.Length; i++)
        {
            AlignedFace face = AlignedFaceFile.Read(set.PathOf(picked[i]));
            using Mat image = face.Image.AsMat();
            using var small = new Mat();
            Cv2.Resize(image, small, new Size(tile, tile), interpolation: InterpolationFlags.Area);
            if (landmarks)
            {
                float k = (float)tile / face.Metadata.Size;
                foreach (float[] p in face.Metadata.Landmarks68)
                {
                    Cv2.Circle(small, new Point((int)(p[0] * k), (int)(p[1] * k)), 1, new Scalar(0, 255, 0), -1);
                }
            }

            if (masks)
            {
                DrawMasks(small, face.Metadata, tile);
            }

            using var cell = new Mat(sheet, new Rect((i % columns) * tile, (i / columns) * tile, tile, tile));
            small.CopyTo(cell);
        }

        Cv2.ImEncode(".png", sheet, out byte[] png);
        AtomicFile.WriteAllBytes(outputPng, png);
    }

    private static void DrawMasks(Mat small, AlignedFaceMetadata m, int tile)
    {
        using Mat? predicted = Segmentation.MaskLabels.PredictedMask(m);
        if (predicted is not null)
        {
            using var mask = new Mat();
            Cv2.Resize(predicted, mask, new Size(tile, tile), interpolation: InterpolationFlags.Linear);
            using var green = new Mat(tile, tile, MatType.CV_8UC3, new Scalar(0, 255, 0));
            using var tinted = new Mat();
            Cv2.AddWeighted(small, 0.6, green, 0.4, 0, tinted);
            using var inside = new Mat();
            Cv2.Threshold(mask, inside, 127, 255, ThresholdTypes.Binary);
            tinted.CopyTo(small, inside);
        }

        float k = (float)tile / m.Size;
        foreach (MaskPolygon polygon in m.MaskPolygons ?? [])
        {
            Point[] points = polygon.Points.Select(p => new Point((int)Math.Round(p[0] * k), (int)Math.Round(p[1] * k))).ToArray();
            Cv2.Polylines(small, [points], true, polygon.Include ? new Scalar(0, 0, 255) : new Scalar(255, 0, 0), 1, LineTypes.AntiAlias);
        }
    }
}
