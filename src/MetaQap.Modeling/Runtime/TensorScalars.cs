using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Runtime;

/// <summary>
/// Tensor arithmetic with numbers whose <see cref="Scalar"/> stays alive for the whole native call.
/// <para>
/// TorchSharp 0.107 turns a number into a Scalar implicitly (<c>t.clamp_min(1e-9)</c>), and its <c>add</c>/<c>add_</c>
/// without an alpha, <c>a + b</c>, <c>1 - t</c> and <c>square()</c> make one internally. Only the native handle goes to
/// libtorch; nothing references the managed Scalar after that, so a garbage collection during the call can run its
/// finalizer, which frees the value libtorch is about to read (dotnet/TorchSharp#1434, #1496). Seen here as a failing
/// <c>Scalar::toDouble</c>/<c>toFloat</c> check inside <c>add</c> (ridge regression's <c>1 - leverage</c> in CI, the
/// residual sums in the worker) and, with a thread forcing collections, in about 1 of 18,000 calls
/// (<c>TensorScalarsTests</c>). Every Scalar here is a <c>using</c> local, reachable until the call returns, or the
/// shared alpha <see cref="One"/>, a static root that libtorch only reads.
/// </para>
/// <para>
/// <c>src/BannedSymbols.txt</c> makes the unsafe forms a build error in the projects that use TorchSharp; the
/// operators <c>*</c>, <c>/</c> and <c>-</c> with a number on the right are safe (TorchSharp holds their Scalar in a
/// <c>using</c> local) and stay allowed.
/// </para>
/// </summary>
public static class TensorScalars
{
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="left"/> += <paramref name="right"/>; only where autograd does not need the old value.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, double right)
    {
        using Scalar value = right.ToScalar();
        return left.add(value, One);
    }

    /// <summary><paramref name="left"/> += <paramref name="right"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, double right)
    {
        using Scalar value = right.ToScalar();
        return left.add_(value, One);
    }

    /// <summary><paramref name="left"/> += <paramref name="alpha"/> · <paramref name="right"/>.</summary>
    public static Tensor PlusScaledInPlace(this Tensor left, Tensor right, double alpha)
    {
        using Scalar scale = alpha.ToScalar();
        return left.add_(right, scale);
    }

    /// <summary><paramref name="left"/> − <paramref name="right"/>, a number minus a tensor.</summary>
    public static Tensor SubtractedFrom(this Tensor right, double left)
    {
        using Scalar value = left.ToScalar();
        return right.neg().add_(value, One);
    }

    /// <summary>The elementwise square as a product, which makes no Scalar (<c>square()</c> is <c>pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor t) => t.mul(t);

    /// <summary><paramref name="t"/> ·= <paramref name="factor"/>.</summary>
    public static Tensor TimesInPlace(this Tensor t, double factor)
    {
        using Scalar value = factor.ToScalar();
        return t.mul_(value);
    }

    /// <summary><paramref name="t"/> /= <paramref name="divisor"/>.</summary>
    public static Tensor DividedByInPlace(this Tensor t, double divisor)
    {
        using Scalar value = divisor.ToScalar();
        return t.div_(value);
    }

    /// <summary>max(<paramref name="t"/>, <paramref name="min"/>) elementwise.</summary>
    public static Tensor AtLeast(this Tensor t, double min)
    {
        using Scalar value = min.ToScalar();
        return t.clamp_min(value);
    }

    /// <summary>Elementwise <paramref name="t"/> &gt; <paramref name="threshold"/>.</summary>
    public static Tensor GreaterThan(this Tensor t, double threshold)
    {
        using Scalar value = threshold.ToScalar();
        return t.gt(value);
    }

    /// <summary>Elementwise <paramref name="t"/> &lt; <paramref name="threshold"/>.</summary>
    public static Tensor LessThan(this Tensor t, double threshold)
    {
        using Scalar value = threshold.ToScalar();
        return t.lt(value);
    }

    /// <summary>Elementwise <paramref name="t"/> == <paramref name="other"/>.</summary>
    public static Tensor EqualTo(this Tensor t, double other)
    {
        using Scalar value = other.ToScalar();
        return t.eq(value);
    }

    /// <summary>Fills <paramref name="t"/> with <paramref name="value"/>.</summary>
    public static Tensor FillInPlace(this Tensor t, double value)
    {
        using Scalar scalar = value.ToScalar();
        return t.fill_(scalar);
    }

    /// <summary>
    /// Any other call that takes a number: <paramref name="call"/> gets the Scalar of <paramref name="value"/>, alive
    /// until it returns. Do not let the Scalar escape.
    /// </summary>
    public static T WithScalar<T>(double value, Func<Scalar, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using Scalar scalar = value.ToScalar();
        return call(scalar);
    }
}
