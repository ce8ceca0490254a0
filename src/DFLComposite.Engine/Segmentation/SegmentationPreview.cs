using DFLComposite.Engine.IO;
using DFLComposite.Engine.Torch;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Segmentation;

/// <summary>XSeg's training preview: one row per face, columns face | label | prediction | face masked by the prediction.</summary>
public static class SegmentationPreview
{
    public static void Write(string path, SegmentationNetwork network, SegmentationBatch batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        Tensor predicted = network.call(batch.Images).sigmoid();
        network.train();
        Tensor label3 = batch.Masks.expand(-1, 3, -1, -1);
        Tensor predicted3 = predicted.expand(-1, 3, -1, -1);
        // The masked face on a dark grey, so what the mask drops is obvious.
        Tensor masked = (batch.Images * predicted3).Plus(predicted3.SubtractedFrom(1) * Scalars.S(0.15));
        long rows = batch.Images.shape[0];
        Tensor[] columns = [batch.Images, label3, predicted3, masked];
        Tensor grid = cat(columns.Select(c => cat(Enumerable.Range(0, (int)rows).Select(i => c[i]).ToArray(), 1)).ToArray(), 2);
        Tensor hwc = (grid.permute(1, 2, 0).contiguous() * Scalars.S(255)).clamp(Scalars.S(0), Scalars.S(255)).to(ScalarType.Byte);
        byte[] pixels = hwc.data<byte>().ToArray();
        using Mat image = Mat.FromPixelData((int)hwc.shape[0], (int)hwc.shape[1], MatType.CV_8UC3, pixels);
        Cv2.ImEncode(".png", image, out byte[] png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
