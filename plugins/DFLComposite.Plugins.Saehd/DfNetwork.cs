using DFLComposite.Engine.Training;
using static TorchSharp.torch;

namespace DFLComposite.Plugins.Saehd;

/// <summary>
/// SAEHD "df": one shared encoder and inter, one decoder per person. The swap feeds a dst face through the src
/// decoder. Strong likeness of the src, needs dst faces similar in shape.
/// </summary>
internal sealed class DfNetwork : SwapNetwork
{
    private readonly Encoder _encoder;
    private readonly Inter _inter;
    private readonly Decoder _decoderSrc, _decoderDst;

    public DfNetwork(SwapModelOptions o) : base("saehd-df")
    {
        long lowest = o.Resolution / (o.IsD ? 32 : 16);
        long encoded = Encoder.OutChannels(o.EDims) * lowest * lowest * (o.IsD ? 4 : 1);
        _encoder = new Encoder(o.EDims, o.IsU);
        _inter = new Inter(encoded, o.AeDims, o.AeDims, lowest);
        _decoderSrc = new Decoder(o.AeDims, o.DDims, o.DMaskDims, o.IsD);
        _decoderDst = new Decoder(o.AeDims, o.DDims, o.DMaskDims, o.IsD);
        RegisterComponents();
    }

    public override (Tensor Image, Tensor Mask) Reconstruct(Tensor faces, FaceSide side)
    {
        using Tensor code = Code(faces);
        return (side == FaceSide.Src ? _decoderSrc : _decoderDst).call(code);
    }

    public override (Tensor Image, Tensor Mask) Swap(Tensor dstFaces)
    {
        using Tensor code = Code(dstFaces);
        return _decoderSrc.call(code);
    }

    public override Tensor SwapImage(Tensor dstFaces)
    {
        using Tensor code = Code(dstFaces);
        return _decoderSrc.Image(code);
    }

    private Tensor Code(Tensor faces)
    {
        using Tensor e = _encoder.call(faces);
        return _inter.call(e);
    }
}
