using MetaQap.Modeling.Scoring;

namespace MetaQap.Components.Scoring;

/// <summary>Builds the scorer from the configured model once, at start-up.</summary>
public interface IQualityScorerFactory
{
    /// <summary>Loads the model or throws <see cref="ModelLoadException"/> saying what is wrong with it.</summary>
    IQualityScorer Create(ModelOptions options);
}
