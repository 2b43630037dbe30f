namespace MetaQap.Modeling.Loss;

/// <summary>
/// Weights and temperature of <see cref="QualityAwareLoss"/>: λ1·MSE + λ2·(1 − SROCC̃), with λ1 = λ2 = 0.5 as in
/// the MetaQAP paper.
/// </summary>
public sealed record QualityAwareLossOptions
{
    /// <summary>λ1, the weight of the mean squared error.</summary>
    public double MseWeight { get; init; } = 0.5;

    /// <summary>λ2, the weight of 1 − SROCC̃.</summary>
    public double SroccWeight { get; init; } = 0.5;

    /// <summary>
    /// Soft-rank temperature relative to the spread of the predictions: pairs of predictions closer than about
    /// <c>Temperature × std(predictions)</c> are ranked softly (see <see cref="SoftRank"/>). Relative rather than in
    /// score units so that the same value suits targets on 0–1 and on 0–100.
    /// </summary>
    public double Temperature { get; init; } = 0.1;

    internal void Validate()
    {
        RequireFiniteNonNegative(MseWeight, nameof(MseWeight));
        RequireFiniteNonNegative(SroccWeight, nameof(SroccWeight));
        if (MseWeight + SroccWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MseWeight), "MseWeight and SroccWeight cannot both be zero.");
        }

        LossInputs.RequireTemperature(Temperature, nameof(Temperature));
    }

    private static void RequireFiniteNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and >= 0.");
        }
    }
}
