namespace MetaQap.Modeling.Meta;

/// <summary>Thresholds of <see cref="StepwiseRegression"/> (defaults as MATLAB's stepwisefit and the MetaQAP paper).</summary>
public sealed record StepwiseOptions
{
    /// <summary>A candidate enters when its partial-F p-value is below this.</summary>
    public double EnterPValue { get; init; } = 0.05;

    /// <summary>An included predictor leaves when its partial-F p-value exceeds this; must be ≥ EnterPValue so
    /// that a predictor cannot qualify for entry and removal at once.</summary>
    public double RemovePValue { get; init; } = 0.10;

    /// <summary>After the stepwise search, predictors whose |β| (on the raw score scale) is below this are dropped.</summary>
    public double MinAbsCoefficient { get; init; } = 0.05;

    /// <summary>Cap on entry + removal steps, a guard against cycling.</summary>
    public int MaxSteps { get; init; } = 100;

    internal void Validate()
    {
        if (!(EnterPValue > 0 && EnterPValue < 1) || !(RemovePValue > 0 && RemovePValue < 1) || RemovePValue < EnterPValue)
        {
            throw new ArgumentException(
                $"Need 0 < EnterPValue ≤ RemovePValue < 1 (got {EnterPValue} and {RemovePValue}).");
        }

        if (!(MinAbsCoefficient >= 0) || double.IsInfinity(MinAbsCoefficient))
        {
            throw new ArgumentException($"MinAbsCoefficient must be finite and ≥ 0 (got {MinAbsCoefficient}).");
        }

        if (MaxSteps < 1)
        {
            throw new ArgumentException($"MaxSteps must be ≥ 1 (got {MaxSteps}).");
        }
    }
}
