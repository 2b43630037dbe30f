using MetaQap.Components.Scoring;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Gives the test host <see cref="GradientSharpnessScorer"/> (or another scorer) instead of the ensemble.</summary>
internal sealed class TestScorerFactory(Func<IQualityScorer>? create = null) : IQualityScorerFactory
{
    public IQualityScorer Create(ModelOptions options) => create?.Invoke() ?? new GradientSharpnessScorer();
}
