using DFLComposite.Engine.Media;
using DFLComposite.Media;
using DFLComposite.Tests;
using OpenCvSharp;
using TorchSharp;

namespace DFLComposite.Engine.Tests;

public sealed class NativeLibraryTests
{
    [Fact]
    public void TorchSharp_loads_and_runs_a_tensor_op_with_autograd()
    {
        using var x = torch.tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var square = x * x;
        using var y = square.sum();
        y.backward();
        Assert.Equal(14f, y.item<float>());
        Assert.Equal(new float[] { 2, 4, 6 }, x.grad!.data<float>().ToArray());
    }

    [SkippableFact]
    public async Task OpenCV_reads_a_frame_of_d0_decoded_through_ffmpeg()
    {
        string video = TestPaths.Media("video/d0.mp4");
        MediaInfo info = VideoProbe.Probe(video);
        Assert.Equal((512, 512), (info.Width, info.Height));
        Assert.Equal(25, info.FrameRate, 3);

        ImageFrame? first = null;
        await foreach ((long _, ImageFrame frame) in VideoReader.ReadFrames(video))
        {
            first = frame;
            break; // stopping early must also stop ffmpeg
        }

        Assert.NotNull(first);
        using Mat mat = Mat.FromPixelData(first.Height, first.Width, MatType.CV_8UC3, first.Pixels);
        OpenCvSharp.Scalar mean = Cv2.Mean(mat);
        Assert.InRange(mean.Val0 + mean.Val1 + mean.Val2, 30, 700); // a real picture, neither black nor white
        Cv2.ImEncode(".png", mat, out byte[] png);
        using Mat back = Cv2.ImDecode(png, ImreadModes.Color);
        Assert.Equal(0, Cv2.Norm(mat, back, NormTypes.L1));
    }

    [SkippableFact]
    public async Task Every_frame_of_d0_is_decoded()
    {
        string video = TestPaths.Media("video/d0.mp4");
        long count = 0;
        await foreach (var _ in VideoReader.ReadFrames(video))
        {
            count++;
        }

        Assert.Equal(78, count);
    }
}
