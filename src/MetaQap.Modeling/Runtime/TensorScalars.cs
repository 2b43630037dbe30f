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
/// residual sums in the worker) and, with a thread forcing collections, in about 1 of 18,000 <c>a + b</c> calls
/// (session 3). Every Scalar here is the <c>using</c> local of <see cref="WithScalar{T}"/>, reachable until the call
/// returns, or the shared alpha <see cref="One"/>, a static root that libtorch only reads.
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

    /// <summary><paramref name="t"/> += 1, in the tensor's own type (a counter such as BatchNorm's <c>num_batches_tracked</c>).</summary>
    public static Tensor IncrementInPlace(this Tensor t) => t.add_(One, One);

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, double right) => Apply(left, right, static (x, s) => x.add(s, One));

    /// <summary><paramref name="left"/> += <paramref name="right"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, double right) => Apply(left, right, static (x, s) => x.add_(s, One));

    /// <summary><paramref name="left"/> − <paramref name="right"/>, a number minus a tensor.</summary>
    public static Tensor SubtractedFrom(this Tensor right, double left) => Apply(right, left, static (x, s) => x.neg().add_(s, One));

    /// <summary>The elementwise square as a product, which makes no Scalar (<c>square()</c> is <c>pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor t) => t.mul(t);

    /// <summary><paramref name="t"/> ·= <paramref name="factor"/>.</summary>
    public static Tensor TimesInPlace(this Tensor t, double factor) => Apply(t, factor, static (x, s) => x.mul_(s));

    /// <summary><paramref name="t"/> /= <paramref name="divisor"/>.</summary>
    public static Tensor DividedByInPlace(this Tensor t, double divisor) => Apply(t, divisor, static (x, s) => x.div_(s));

    /// <summary>max(<paramref name="t"/>, <paramref name="min"/>) elementwise.</summary>
    public static Tensor AtLeast(this Tensor t, double min) => Apply(t, min, static (x, s) => x.clamp_min(s));

    /// <summary>Elementwise <paramref name="t"/> &gt; <paramref name="threshold"/>.</summary>
    public static Tensor GreaterThan(this Tensor t, double threshold) => Apply(t, threshold, static (x, s) => x.gt(s));

    /// <summary>Elementwise <paramref name="t"/> &lt; <paramref name="threshold"/>.</summary>
    public static Tensor LessThan(this Tensor t, double threshold) => Apply(t, threshold, static (x, s) => x.lt(s));

    /// <summary>Elementwise <paramref name="t"/> == <paramref name="other"/>.</summary>
    public static Tensor EqualTo(this Tensor t, double other) => Apply(t, other, static (x, s) => x.eq(s));

    /// <summary>Fills <paramref name="t"/> with <paramref name="value"/>.</summary>
    public static Tensor FillInPlace(this Tensor t, double value) => Apply(t, value, static (x, s) => x.fill_(s));

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

    /// <summary><paramref name="call"/>(<paramref name="t"/>, the Scalar of <paramref name="value"/>), the Scalar alive until it returns.</summary>
    private static Tensor Apply(Tensor t, double value, Func<Tensor, Scalar, Tensor> call)
    {
        using Scalar scalar = value.ToScalar();
        return call(t, scalar);
    }
}
