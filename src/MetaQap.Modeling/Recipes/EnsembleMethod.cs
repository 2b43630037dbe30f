namespace MetaQap.Modeling.Recipes;

/// <summary>How base-model scores are combined (the ablation's fourth group).</summary>
public enum EnsembleMethod
{
    /// <summary>Plain average of every base model (nothing fitted).</summary>
    Mean,

    /// <summary>The one base model with the best SROCC on the other folds' out-of-fold rows.</summary>
    BestSingle,

    /// <summary>The stepwise meta-learner fitted on the other folds' out-of-fold rows.</summary>
    Stepwise,
}
