namespace MetaQap.Modeling.Meta;

/// <summary>
/// One move of the stepwise search. <see cref="PValue"/> is the partial-F p-value of <see cref="Predictor"/>
/// at that moment (for entry: in the model it joins; otherwise: in the model it leaves); <see cref="Beta"/> is
/// its raw-scale coefficient in that model (null for a removal by p-value, where it carries no meaning).
/// </summary>
public sealed record StepwiseStep(int Step, string Action, string Predictor, double PValue, double? Beta)
{
    public const string Enter = "enter";
    public const string Remove = "remove";
    public const string DropSmallBeta = "drop-small-beta";

    /// <summary>Nothing entered (or survived the |β| rule): the single best-correlated predictor was used.</summary>
    public const string Fallback = "fallback";
}
