using DFLComposite.Engine.Extract;
using DFLComposite.Faces;
using OpenCvSharp;

namespace DFLComposite.Engine.Evaluate;

/// <summary>
/// The face check and sharpness of a swapped face square that never went into a frame (a dst faceset's faces, the
/// training's validation faces): the same checks as on merged frames, on the square the model produced.
/// </summary>
public static class CropQuality
{
    /// <param name="dstSquare">The dst face at the model's face type and resolution (BGR, 8-bit or float [0, 1]).</param>
    /// <param name="swappedSquare">The model's swap of it, same size and type.</param>
    /// <param name="square68">The dst face's 68 points in the square.</param>
    public static (FaceValidity Check, double? Sharpness) Measure(FaceFinder finder, Mat dstSquare, Mat swappedSquare, IReadOnlyList<PointF> square68)
    {
        using Mat mask = FaceSharpness.FaceMask(square68, dstSquare.Width);
        double? sharpness = FaceSharpness.Ratio(dstSquare, swappedSquare, mask);
        (FaceValidity check, _) = FaceValidity.CheckSquare(finder, swappedSquare, square68);
        return (check, sharpness);
    }
}
