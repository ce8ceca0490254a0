using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Torch;

/// <summary>
/// Scalars that stay alive while libtorch reads them.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 frees a <see cref="Scalar"/> in its finalizer, and once a call has read the handle the JIT
/// considers the object dead. A Scalar made on the fly (<c>t * 0.5</c>, <c>t + u</c> whose <c>alpha</c> TorchSharp
/// fills with a fresh <c>1</c>, <c>t.square()</c>, <c>LeakyReLU</c>) can therefore be finalized by a garbage
/// collection on another thread while libtorch is still inside the call: libtorch then asserts in
/// <c>Scalar.h</c> ("Unknown scalar type", <c>toFloat</c>) or the process crashes. Every Scalar handed to torch in
/// this code base is held: constants come from <see cref="S(double)"/> (process lifetime, never freed), values
/// computed per call are <c>using Scalar s = v.ToScalar()</c>. The operations TorchSharp would fill with its own
/// temporary are written here with a held one. <c>NativeLifetimeTests</c> checks the sources for both.
/// </remarks>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>1 as a held Scalar: the <c>alpha</c> of additions.</summary>
    public static Scalar One { get; } = S(1.0);

    /// <summary>A floating-point constant, made once and kept for the life of the process.</summary>
    /// <remarks>Only for constants of the code: each distinct value is kept forever.</remarks>
    public static Scalar S(double value) => Reals.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>An integer constant (for integer tensors, where a floating-point Scalar would change the type).</summary>
    public static Scalar SInt(long value) => Integers.GetOrAdd(value, static v => v.ToScalar());

    /// <summary><c>a + b</c> without TorchSharp's temporary <c>alpha</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + value</c> for a constant value.</summary>
    public static Tensor Plus(this Tensor a, double value) => a.add(S(value), One);

    /// <summary><c>a += b</c> in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>a += value</c> in place, for a constant value.</summary>
    public static Tensor PlusInPlace(this Tensor a, double value) => a.add_(S(value), One);

    /// <summary><c>value - a</c> for a constant value (TorchSharp's <c>Scalar - Tensor</c> makes a temporary).</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value)
    {
        using Tensor negated = a.neg(); // held too: a temporary tensor is finalizer-freed the same way
        return negated.add(S(value), One);
    }

    /// <summary><c>a²</c> (TorchSharp's <c>square()</c> is <c>pow</c> with a temporary 2).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(S(2.0));

    /// <summary>Leaky ReLU with a held slope (TorchSharp's module and functional forms make a temporary).</summary>
    public static Tensor LeakyRelu(this Tensor a, double negativeSlope) => a.leaky_relu(S(negativeSlope));
}
