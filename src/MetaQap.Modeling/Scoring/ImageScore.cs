namespace MetaQap.Modeling.Scoring;

/// <summary>The quality of one image.</summary>
/// <param name="Score">Quality on the documented 0–100 scale, higher is better (after the meta-learner).</param>
/// <param name="BaseScores">Each base model's score on the same scale, by base model name.</param>
/// <param name="Uncertainty">Spread (standard deviation) of the base models' scores.</param>
/// <param name="Distortions">The most likely distortion types, most likely first.</param>
public sealed record ImageScore(
    double Score,
    IReadOnlyDictionary<string, double> BaseScores,
    double Uncertainty,
    IReadOnlyList<DistortionHint> Distortions);

/// <summary>A distortion type (KADID-10k name) and its predicted probability.</summary>
public sealed record DistortionHint(string Type, double Probability);
