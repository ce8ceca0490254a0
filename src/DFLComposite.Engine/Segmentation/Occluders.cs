using OpenCvSharp;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// XSeg's answer to hands, microphones, hair and glasses: real texture pasted over the face in a random shape
/// and cut out of the label, so the network learns that only face-looking pixels are face. Texture comes from
/// the background of other training faces (outside their labels) and, when given, from occluder images.
/// </summary>
internal static class Occluders
{
    /// <summary>
    /// A square patch of <paramref name="side"/> px from <paramref name="image"/> where <paramref name="label"/>
    /// (if any) is mostly empty, or null when none is found in a few tries.
    /// </summary>
    public static Mat? Texture(Mat image, Mat? label, int side, Random rng)
    {
        if (image.Width <= side || image.Height <= side)
        {
            return null;
        }

        for (int attempt = 0; attempt < 8; attempt++)
        {
            var rect = new Rect(rng.Next(image.Width - side), rng.Next(image.Height - side), side, side);
            if (label is not null)
            {
                using var region = new Mat(label, rect);
                if (Cv2.Mean(region).Val0 > 0.1 * 255)
                {
                    continue; // mostly face: not an occluder
                }
            }

            using var patch = new Mat(image, rect);
            return patch.Clone();
        }

        return null;
    }

    /// <summary>
    /// Pastes <paramref name="texture"/> through a random shape (a jittered ellipse or convex polygon) centred on a
    /// random labelled pixel of <paramref name="image"/>, and clears the label under it.
    /// </summary>
    public static void Paste(Mat image, Mat label, Mat texture, Random rng)
    {
        int side = texture.Width, res = image.Width;
        using var shape = new Mat(side, side, MatType.CV_8UC1, Scalar.All(0));
        if (rng.Next(2) == 0)
        {
            Cv2.Ellipse(shape, new Point(side / 2, side / 2), new Size(side * (0.25 + (0.25 * rng.NextDouble())), side * (0.25 + (0.25 * rng.NextDouble()))),
                rng.NextDouble() * 180, 0, 360, Scalar.All(255), -1);
        }
        else
        {
            int corners = 3 + rng.Next(6);
            Point[] points = Enumerable.Range(0, corners).Select(i =>
            {
                double angle = (2 * Math.PI * (i + (0.6 * rng.NextDouble()))) / corners;
                double radius = side * (0.2 + (0.3 * rng.NextDouble()));
                return new Point((side / 2) + (int)(radius * Math.Cos(angle)), (side / 2) + (int)(radius * Math.Sin(angle)));
            }).ToArray();
            Cv2.FillConvexPoly(shape, Cv2.ConvexHull(points), Scalar.All(255));
        }

        // Centre on the face: a random labelled pixel (the occluder must cover some face to teach anything).
        Point centre = new(res / 2, res / 2);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var p = new Point(rng.Next(res), rng.Next(res));
            if (label.At<byte>(p.Y, p.X) > 127)
            {
                centre = p;
                break;
            }
        }

        int x0 = centre.X - (side / 2), y0 = centre.Y - (side / 2);
        var target = new Rect(x0, y0, side, side).Intersect(new Rect(0, 0, res, res));
        if (target.Width <= 0 || target.Height <= 0)
        {
            return;
        }

        var from = new Rect(target.X - x0, target.Y - y0, target.Width, target.Height);
        using var shapePart = new Mat(shape, from);
        using var texturePart = new Mat(texture, from);
        using var imageRoi = new Mat(image, target);
        using var labelRoi = new Mat(label, target);
        texturePart.CopyTo(imageRoi, shapePart);
        labelRoi.SetTo(Scalar.All(0), shapePart);
    }
}
