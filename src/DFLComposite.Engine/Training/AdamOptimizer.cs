using DFLComposite.Engine.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Training;

/// <summary>
/// Adam and AdaBelief (DeepFaceLab's default) in one class: AdaBelief tracks the variance of the gradient around
/// its running mean instead of the raw second moment. State (step, first and second moments) saves to and loads
/// from a stream, so a resumed run continues exactly.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m, _v;
    private readonly bool _belief;
    private readonly double _beta1, _beta2, _eps;

    public AdamOptimizer(IEnumerable<Parameter> parameters, bool belief, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-16)
    {
        _parameters = parameters.ToArray();
        _m = _parameters.Select(p => zeros_like(p)).ToArray();
        _v = _parameters.Select(p => zeros_like(p)).ToArray();
        _belief = belief;
        LearningRate = lr;
        _beta1 = beta1;
        _beta2 = beta2;
        // AdaBelief's eps sits inside the square root's argument; Adam's conventional 1e-8 outside.
        _eps = belief ? eps : 1e-8;
    }

    public double LearningRate { get; set; }

    public long Step { get; private set; }

    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters)
        {
            p.grad?.zero_();
        }
    }

    /// <summary>Scales gradients so their global L2 norm is at most <paramref name="maxNorm"/>.</summary>
    public void ClipGradNorm(double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor total = zeros(1);
        foreach (Parameter p in _parameters)
        {
            if (p.grad is { } g)
            {
                total = total.Plus(g.Squared().sum());
            }
        }

        double norm = Math.Sqrt(total.item<float>());
        if (norm > maxNorm)
        {
            foreach (Parameter p in _parameters)
            {
                using Scalar k = (maxNorm / (norm + 1e-6)).ToScalar();
                p.grad?.mul_(k);
            }
        }
    }

    public void Update()
    {
        Step++;
        double bc1 = 1 - Math.Pow(_beta1, Step), bc2 = 1 - Math.Pow(_beta2, Step);
        using var _ = no_grad();
        // Per-step Scalars, held until the step is done (see Scalars for why none may be left to the finalizer).
        using Scalar beta1 = _beta1.ToScalar(), rest1 = (1 - _beta1).ToScalar(), beta2 = _beta2.ToScalar(), rest2 = (1 - _beta2).ToScalar();
        using Scalar eps = _eps.ToScalar(), correction2 = bc2.ToScalar(), stepSize = (-LearningRate / bc1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor? g = _parameters[i].grad;
            if (g is null)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            _m[i].mul_(beta1).add_(g, alpha: rest1);
            if (_belief)
            {
                Tensor diff = g - _m[i];
                _v[i].mul_(beta2).addcmul_(diff, diff, value: rest2).add_(eps, Scalars.One);
            }
            else
            {
                _v[i].mul_(beta2).addcmul_(g, g, value: rest2);
            }

            Tensor denom = (_v[i] / correction2).sqrt_().add_(eps, Scalars.One);
            _parameters[i].addcdiv_(_m[i], denom, value: stepSize);
        }
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Step);
        writer.Write(_parameters.Length);
        foreach (Tensor t in _m.Concat(_v))
        {
            float[] data = t.data<float>().ToArray();
            writer.Write(data.Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        }
    }

    public void Load(BinaryReader reader)
    {
        long step = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != _parameters.Length)
        {
            throw new InvalidDataException($"optimiser state is for {count} parameters, the model has {_parameters.Length}");
        }

        using var _ = no_grad();
        foreach (Tensor t in _m.Concat(_v))
        {
            int n = reader.ReadInt32();
            if (n != t.numel())
            {
                throw new InvalidDataException("optimiser state does not match the model's parameter sizes");
            }

            var data = new float[n];
            byte[] raw = reader.ReadBytes(n * sizeof(float));
            if (raw.Length != n * sizeof(float))
            {
                throw new EndOfStreamException("optimiser state is truncated");
            }

            Buffer.BlockCopy(raw, 0, data, 0, raw.Length);

            using Tensor src = tensor(data).reshape(t.shape);
            t.copy_(src);
        }

        Step = step;
    }

    public void Dispose()
    {
        foreach (Tensor t in _m.Concat(_v))
        {
            t.Dispose();
        }
    }
}
