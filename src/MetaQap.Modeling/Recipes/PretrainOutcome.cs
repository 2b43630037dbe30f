namespace MetaQap.Modeling.Recipes;

/// <summary>A finished pretraining unit: its weights are <c>model.safetensors</c> in the unit folder.</summary>
internal sealed record PretrainOutcome(int BestEpoch, double BestValidationSrocc, int EpochsRun);
