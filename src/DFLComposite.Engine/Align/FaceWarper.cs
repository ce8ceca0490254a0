using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Align;

/// <summary>
/// Cuts the aligned face out of a frame with an image-to-face map, bicubic. DeepFaceLab cuts with Lanczos (8x8 taps);
/// profiled, that one warp was the largest cost of an extracted 720p frame (25 ms of about 55 ms of CPU, OpenCV's
/// Lanczos path is not vectorised), while bicubic (4x4 taps, vectorised; what the merge and faceswap's aligner use)
/// takes a third of it and the faces differ by a slightly softer edge only.
/// </summary>
public static class FaceWarper
{
    public static ImageFrame Warp(ImageFrame frame, Affine2D imageToFace, int size)
    {
        using Mat src = frame.AsMat();
        using Mat m = ToMat(imageToFace);
        using var dst = new Mat();
        Cv2.WarpAffine(src, dst, m, new Size(size, size), InterpolationFlags.Cubic, BorderTypes.Constant, Scalar.All(0));
        return dst.ToFrame();
    }

    public static Mat ToMat(Affine2D a)
    {
        var m = new Mat(2, 3, MatType.CV_64FC1);
        double[] v = a.ToArray();
        for (int i = 0; i < 6; i++)
        {
            m.Set(i / 3, i % 3, v[i]);
        }

        return m;
    }
}
