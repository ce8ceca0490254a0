using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Align;

/// <summary>Cuts the aligned face out of a frame with an image-to-face map (Lanczos, as DeepFaceLab).</summary>
public static class FaceWarper
{
    public static ImageFrame Warp(ImageFrame frame, Affine2D imageToFace, int size)
    {
        using Mat src = frame.AsMat();
        using Mat m = ToMat(imageToFace);
        using var dst = new Mat();
        Cv2.WarpAffine(src, dst, m, new Size(size, size), InterpolationFlags.Lanczos4, BorderTypes.Constant, Scalar.All(0));
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
