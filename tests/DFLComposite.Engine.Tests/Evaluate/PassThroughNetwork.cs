using DFLComposite.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DFLComposite.Engine.Tests.Evaluate;

/// <summary>
/// A swap network whose every pass returns its input: one 1x1 convolution whose weights are the identity matrix, and a
/// mask of ones. Merged in raw-rgb mode it pastes the dst's own face back, so an evaluation of it is the evaluator's
/// upper bound: every face valid, sharpness near 1, every face still the dst person. A real module run by the real
/// merge path, so nothing of the evaluator or merger is bypassed.
/// </summary>
internal sealed class PassThroughNetwork : SwapNetwork
{
    private readonly Conv2d _same;

    public PassThroughNetwork() : base("pass-through")
    {
        _same = Conv2d(3, 3, 1, bias: false);
        using (no_grad())
        using (Tensor eye3 = eye(3).reshape(3, 3, 1, 1))
        {
            _same.weight!.copy_(eye3);
        }

        RegisterComponents();
    }

    public override (Tensor Image, Tensor Mask) Reconstruct(Tensor faces, FaceSide side) => Same(faces);

    public override (Tensor Image, Tensor Mask) Swap(Tensor dstFaces) => Same(dstFaces);

    private (Tensor Image, Tensor Mask) Same(Tensor faces) =>
        (_same.call(faces), ones(faces.shape[0], 1, faces.shape[2], faces.shape[3], dtype: faces.dtype, device: faces.device));
}
