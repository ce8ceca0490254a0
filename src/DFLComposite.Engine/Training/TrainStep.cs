using DFLComposite.Engine.Torch;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>
/// One optimisation step of a swap network on a src and a dst batch — the work the trainer repeats and
/// <c>dflc bench train</c> times.
/// </summary>
public sealed class TrainStep(SwapNetwork network, AdamOptimizer optimizer, TrainSettings settings, int resolution, IdentityLoss? identity = null)
{
    private readonly IReadOnlyList<(string Term, double Weight)> _terms = Losses.ParseSpec(settings.Loss);

    // Narrow convolutions get wrong gradients from oneDNN (see TorchRuntime): such networks step without it.
    private readonly bool _withoutOneDnn = TorchRuntime.HasFewChannelConvolutions(network);

    /// <summary>The identity loss of the last step (NaN when it is off).</summary>
    public float LastIdentityLoss { get; private set; } = float.NaN;

    /// <summary>Forward, backward, update. Returns the src and dst losses.</summary>
    public (float Src, float Dst) Run(SampleBatch src, SampleBatch dst)
    {
        using var scope = NewDisposeScope();
        Tensor ls = Loss(src, FaceSide.Src);
        Tensor ld = Loss(dst, FaceSide.Dst);
        Tensor total = ls.Plus(ld);
        if (identity is not null && settings.IdentityWeight > 0)
        {
            // the swap (dst rendered as src) should carry the src person's identity
            Tensor li = identity.Loss(network.Swap(dst.Input).Image);
            total = total.Plus(Losses.Weighted(settings.IdentityWeight, li));
            LastIdentityLoss = li.item<float>();
        }
        optimizer.ZeroGrad();
        using (TorchRuntime.WithoutOneDnnIf(_withoutOneDnn))
        {
            total.backward();
        }

        if (settings.ClipGrad)
        {
            optimizer.ClipGradNorm(1.0);
        }

        optimizer.Update();
        return (ls.item<float>(), ld.item<float>());
    }

    /// <summary>DeepFaceLab's loss for one side: image terms (masked when masked training is on), eyes/mouth priority, 10 x mask MSE.</summary>
    public Tensor Loss(SampleBatch batch, FaceSide side)
    {
        (Tensor image, Tensor mask) = network.Reconstruct(batch.Input, side);
        Tensor target = batch.Target, prediction = image;
        if (settings.MaskedTraining)
        {
            target = batch.Target * batch.Mask;
            prediction = image * batch.Mask;
        }

        Tensor loss = zeros(1);
        foreach ((string term, double weight) in _terms.Where(t => t.Weight != 0))
        {
            loss = loss.Plus(term switch
            {
                // DeepFaceLab: below 256 px one DSSIM at res/11.6; from 256 px half the weight each at res/11.6 and res/23.2.
                "dssim" when resolution >= 256 => Losses.Weighted(weight / 2, Losses.Dssim(prediction, target, (int)(resolution / 11.6))).Plus(Losses.Weighted(weight / 2, Losses.Dssim(prediction, target, (int)(resolution / 23.2)))),
                "dssim" => Losses.Weighted(weight, Losses.Dssim(prediction, target, (int)(resolution / 11.6))),
                "mse" => Losses.Weighted(weight, Losses.Mse(prediction, target)),
                _ => Losses.Weighted(weight, Losses.L1(prediction, target)),
            });
        }

        if (settings.EyesMouthPriority)
        {
            loss = loss.Plus(Losses.Weighted(300, Losses.L1(image * batch.EyesMouth, batch.Target * batch.EyesMouth)));
        }

        loss = loss.Plus(Losses.Weighted(10, Losses.Mse(mask, batch.Mask)));
        return loss;
    }
}
