using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;
using Size = OpenCvSharp.Size;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// The face check and sharpness of a swapped face square that never went into a frame (a dst faceset's faces, the
/// training's validation faces): the square is enlarged onto a grey canvas, as a face in a photo, and the extract
/// stage's detector and mesh look for it there; sharpness compares it with the dst square under the hull of its points.
/// </summary>
public static class CropQuality
{
    /// <summary>
    /// Side the square is enlarged to: the detector and mesh were made for faces of a few hundred pixels, and a 64-px
    /// square is below what BlazeFace finds reliably.
    /// </summary>
    private const int Enlarged = 256;

    /// <param name="dstSquare">The dst face at the model's face type and resolution (BGR, 8-bit or float [0, 1]).</param>
    /// <param name="swappedSquare">The model's swap of it, same size and type.</param>
    /// <param name="square68">The dst face's 68 points in the square.</param>
    public static (FaceValidity Check, double? Sharpness) Measure(FaceFinder finder, Mat dstSquare, Mat swappedSquare, IReadOnlyList<PointF> square68)
    {
        int r = dstSquare.Width;
        using Mat mask = FaceSharpness.FaceMask(square68, r);
        double? sharpness = FaceSharpness.Ratio(dstSquare, swappedSquare, mask);
        float k = (float)Enlarged / r;
        int offset = Enlarged / 2;
        var canvas68 = square68.Select(p => new PointF((p.X * k) + offset, (p.Y * k) + offset)).ToArray();
        (FaceValidity check, _) = FaceValidity.Check(finder, Canvas(swappedSquare), new FaceLandmarks([], canvas68, 1));
        return (check, sharpness);
    }

    /// <summary>The square enlarged (cubic) into the middle of a mid-grey canvas twice its enlarged size.</summary>
    private static ImageFrame Canvas(Mat square)
    {
        using var eight = new Mat();
        square.ConvertTo(eight, MatType.CV_8UC3, square.Depth() == MatType.CV_8U ? 1.0 : 255.0);
        using var big = new Mat();
        Cv2.Resize(eight, big, new Size(Enlarged, Enlarged), 0, 0, InterpolationFlags.Cubic);
        using var canvas = new Mat(2 * Enlarged, 2 * Enlarged, MatType.CV_8UC3, Scalar.All(128));
        using (var roi = new Mat(canvas, new Rect(Enlarged / 2, Enlarged / 2, Enlarged, Enlarged)))
        {
            big.CopyTo(roi);
        }

        return canvas.ToFrame();
    }
}
