namespace MetaQap.Imaging.Pristine;

/// <summary>
/// The density r^-p on [min, max], sampled by inverting its CDF. The exponents the dead-leaves model needs
/// (3, 2 and 1 for the scale-invariant law and its margin corrections) get closed forms without Pow, which
/// matters: the renderer draws tens of thousands of radii per image.
/// </summary>
internal readonly struct PowerLaw
{
    private readonly float _min, _max, _p, _lowTerm, _span;

    public PowerLaw(float min, float max, float p)
    {
        _min = min;
        _max = max;
        _p = p;
        if (p == 1f)
        {
            _lowTerm = 0f;
            _span = MathF.Log(max / min);
            Mass = _span;
        }
        else
        {
            _lowTerm = MathF.Pow(min, 1f - p);
            _span = MathF.Pow(max, 1f - p) - _lowTerm;
            Mass = _span / (1f - p);
        }
    }

    /// <summary>∫ r^-p dr over [min, max]: the weight of this law in a mixture.</summary>
    public float Mass { get; }

    public float Sample(float u)
    {
        float r = _p switch
        {
            1f => _min * MathF.Exp(u * _span),
            2f => 1f / (_lowTerm + (u * _span)),
            3f => 1f / MathF.Sqrt(_lowTerm + (u * _span)),
            _ => MathF.Pow(_lowTerm + (u * _span), 1f / (1f - _p)),
        };
        return Math.Clamp(r, _min, _max);
    }
}
