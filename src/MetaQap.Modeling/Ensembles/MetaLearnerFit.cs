using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Meta;

namespace MetaQap.Modeling.Ensembles;

/// <summary>A fitted meta-learner, its manifest entry, and how well it reproduces the out-of-fold MOS.</summary>
/// <param name="Model">The stepwise model (with its selection history), or null for the mean.</param>
/// <param name="Entry">What goes into the manifest's meta_learner.</param>
/// <param name="OutOfFold">
/// Metrics of the meta-learner's predictions against MOS on the out-of-fold table (0–100 scale). The base
/// predictions are out-of-fold, but the meta-learner's own few coefficients are fitted on the same rows, so these
/// are slightly optimistic; a held-out test set (<c>metaqap eval</c>) gives the reportable figures.
/// </param>
public sealed record MetaLearnerFit(MetaLearnerModel? Model, MetaLearnerEntry Entry, EvaluationMetrics OutOfFold);
