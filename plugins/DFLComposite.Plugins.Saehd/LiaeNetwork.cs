using DFLComposite.Engine.Training;
using static TorchSharp.torch;

namespace DFLComposite.Plugins.Saehd;

/// <summary>
/// SAEHD "liae": one encoder, two inters (AB sees both people, B only dst), one decoder. A face's code is
/// [inter_AB, inter_AB] for src and [inter_B, inter_AB] for dst; the swap decodes a dst face with the src-style
/// code [inter_AB, inter_AB], keeping more of the dst's lighting and shape.
/// </summary>
internal sealed class LiaeNetwork : SwapNetwork
{
    private readonly Encoder _encoder;
    private readonly Inter _interAB, _interB;
    private readonly Decoder _decoder;

    public LiaeNetwork(SwapModelOptions o) : base("saehd-liae")
    {
        long lowest = o.Resolution / (o.IsD ? 32 : 16);
        long encoded = Encoder.OutChannels(o.EDims) * lowest * lowest * (o.IsD ? 4 : 1);
        _encoder = new Encoder(o.EDims, o.IsU);
        _interAB = new Inter(encoded, o.AeDims, o.AeDims * 2, lowest);
        _interB = new Inter(encoded, o.AeDims, o.AeDims * 2, lowest);
        _decoder = new Decoder(o.AeDims * 4, o.DDims, o.DMaskDims, o.IsD);
        RegisterComponents();
    }

    public override (Tensor Image, Tensor Mask) Reconstruct(Tensor faces, FaceSide side)
    {
        using Tensor e = _encoder.call(faces);
        using Tensor ab = _interAB.call(e);
        using Tensor other = side == FaceSide.Src ? ab.alias() : _interB.call(e);
        using Tensor code = cat([other, ab], 1);
        return _decoder.call(code);
    }

    public override (Tensor Image, Tensor Mask) Swap(Tensor dstFaces)
    {
        using Tensor code = SwapCode(dstFaces);
        return _decoder.call(code);
    }

    public override Tensor SwapImage(Tensor dstFaces)
    {
        using Tensor code = SwapCode(dstFaces);
        return _decoder.Image(code);
    }

    // the dst face's code with its src-like half in both places: the src person with the dst's pose and light
    private Tensor SwapCode(Tensor dstFaces)
    {
        using Tensor e = _encoder.call(dstFaces);
        using Tensor ab = _interAB.call(e);
        return cat([ab, ab], 1);
    }
}
