using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaQap.Components.Registry;
using MetaQap.Imaging.Corpus;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Training;

namespace MetaQap.Components.Training;

/// <summary>
/// Carries out a <see cref="TrainingPlan"/> with the Modeling library, on the calling (dedicated) thread, and
/// installs its result in the model store. Base-model runs train in <c>runs/&lt;id&gt;/</c> and resume there from the
/// last checkpoint, so a run interrupted by a killed worker continues where its last epoch ended. What it returns is
/// what the runner registers; nothing is registered here.
/// </summary>
public sealed partial class TrainingExecutor(ModelStore store)
{
    /// <summary>Raw quality output to 0–100: every base model is trained on targets in [0, 1].</summary>
    private static readonly OutputScale Scale = new() { Scale = 100, Offset = 0 };

    public object Execute(TrainingPlan plan, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan switch
        {
            PretrainPlan p => TrainBaseModel(p.RunId, ModelArtifactRecord.Pretrained, p.Options.Training, p.Provenance, () =>
                new Pretrainer(Corpus(p), p.Options).Run(store.RunFolder(p.RunId), resume: true, progress, cancellationToken)),
            TrainPlan t => TrainBaseModel(t.RunId, ModelArtifactRecord.FineTuned, t.Options.Training, t.Provenance, () =>
                new FineTuner(t.Split.Train, t.Split.Test, t.Options, t.Provenance).Run(store.RunFolder(t.RunId), resume: true, progress, cancellationToken)),
            FitMetaPlan f => FitMeta(f, progress, cancellationToken),
            CalibratePlan c => Calibrate(c, progress, cancellationToken),
            _ => throw new ArgumentException($"Unknown plan {plan.GetType().Name}.", nameof(plan)),
        };
    }

    /// <summary>Deletes a run's working folder (after its artifact is registered, or when it was cancelled).</summary>
    public void DeleteRunFolder(Guid runId)
    {
        string folder = store.RunFolder(runId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Deletes everything a run wrote that is not registered: its working folder and an installed artifact or ensemble.</summary>
    public void DeleteOutputs(Guid runId)
    {
        DeleteRunFolder(runId);
        foreach (string relative in new[] { $"artifacts/{runId:D}", ModelStore.EnsembleFolder(runId) })
        {
            string folder = store.Resolve(relative);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static QualityAwareCorpus Corpus(PretrainPlan plan) =>
        new(plan.Pristine, new QualityAwareCorpusOptions { Size = plan.Options.Training.InputSize!.Value, Seed = plan.Options.Training.Seed });

    private ModelArtifactRecord TrainBaseModel(Guid runId, string kind, Modeling.Training.TrainingOptions training, object provenance, Func<TrainingResult> train)
    {
        string relative = $"artifacts/{runId:D}";
        // Installed by an attempt that died before registering it: register what is there, do not train again.
        if (!File.Exists(store.Resolve(ModelStore.ArtifactWeights(runId))))
        {
            train();
            store.Install(store.RunFolder(runId), relative);
        }

        string weights = store.Resolve(ModelStore.ArtifactWeights(runId));
        return new ModelArtifactRecord
        {
            Id = runId,
            Kind = kind,
            Architecture = training.Architecture,
            InputSize = training.InputSize!.Value,
            Path = ModelStore.ArtifactWeights(runId),
            Sha256 = ModelStore.Sha256(weights),
            Metrics = ReportMetrics(Path.Combine(store.Resolve(relative), "training.json")),
            Provenance = JsonSerializer.Serialize(provenance, provenance.GetType(), TrainingJsonOptions.Web),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    private EnsembleRecord FitMeta(FitMetaPlan plan, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        string relative = ModelStore.EnsembleFolder(plan.RunId);
        string target = store.Resolve(relative);
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        MetaLearnerEntry? entry = null;
        if (!File.Exists(Path.Combine(target, "manifest.json")))
        {
            var sources = plan.Models.Select(m => new BaseModelSource(m.Name, m.WeightsFile, m.Artifact.Architecture, m.Artifact.InputSize) { OutputScale = Scale }).ToList();
            if (plan.Items.Count > 0)
            {
                OutOfFoldPredictions table = Predict(plan, progress, cancellationToken);
                MetaLearnerFit fit = plan.Stepwise ? MetaLearnerFitting.FitStepwise(table) : MetaLearnerFitting.FitMean(table);
                entry = fit.Entry;
                metrics = MetaLearnerFitting.OutOfFoldMetrics(fit.OutOfFold);
            }

            entry ??= EnsembleBuilder.Mean([.. plan.Models.Select(m => m.Name)]);
            string staging = store.RunFolder(plan.RunId);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            EnsembleBuilder.Build(staging, sources, entry, new EnsembleBuildOptions
            {
                Version = plan.Version,
                Metrics = metrics,
                Provenance = new Provenance
                {
                    Recipe = "training-over-messages",
                    Command = $"FitMetaLearner {plan.RunId:D}",
                    TrainingData = [JsonSerializer.Serialize(plan.Provenance, plan.Provenance.GetType(), TrainingJsonOptions.Web),
                        .. plan.Models.Select(m => $"{m.Name}: artifact {m.Artifact.Id:D} ({m.Artifact.Kind}) {m.Artifact.Provenance}")],
                    Seed = 0,
                    GitCommit = "unknown",
                },
            });
            InstallEnsemble(staging, target);
        }

        return Registered(plan.RunId, relative, [.. plan.Models.Select(m => m.Artifact.Id)]);
    }

    /// <summary>What the registry records of the ensemble a run installed at <paramref name="relative"/>, read from its manifest.</summary>
    private EnsembleRecord Registered(Guid runId, string relative, IReadOnlyList<Guid> baseModels)
    {
        string target = store.Resolve(relative);
        EnsembleManifest manifest = EnsembleArtifact.Load(target);
        return new EnsembleRecord
        {
            Id = runId,
            RunId = runId,
            Version = manifest.Version,
            Path = relative,
            ManifestSha256 = ModelStore.Sha256(Path.Combine(target, EnsembleArtifact.ManifestFileName)),
            BaseModels = baseModels,
            Method = manifest.MetaLearner.Method,
            Metrics = manifest.Metrics,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    private static void InstallEnsemble(string staging, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
    }

    /// <summary>Every base model's 0–100 score on the plan's items, one "epoch" of progress per model.</summary>
    private static OutOfFoldPredictions Predict(FitMetaPlan plan, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var columns = new double[plan.Models.Count][];
        for (int m = 0; m < plan.Models.Count; m++)
        {
            MetaBaseModel model = plan.Models[m];
            int index = m;
            var itemProgress = new Progress<int>(done => progress.Report(new TrainingProgress("fit-meta", TrainingPhase.Training, index,
                plan.Models.Count, done, plan.Items.Count, double.NaN, 0, null, null, 0, null)));
            columns[m] = BaseModelPredictions.PredictWeightsFile(model.Artifact.Architecture, model.WeightsFile, plan.Items,
                model.Artifact.InputSize, Scale, itemProgress, cancellationToken);
        }

        double[][] rows = [.. Enumerable.Range(0, plan.Items.Count).Select(i => columns.Select(c => c[i]).ToArray())];
        return new OutOfFoldPredictions([.. plan.Items.Select(i => i.ImageId)], BaseModelPredictions.MosOnScoreScale(plan.Items),
            [.. plan.Models.Select(m => m.Name)], rows);
    }

    private static Dictionary<string, double> ReportMetrics(string reportFile)
    {
        var metrics = new Dictionary<string, double>();
        JsonNode? report = JsonNode.Parse(File.ReadAllText(reportFile));
        foreach ((string key, string name) in new[] { ("bestValidationSrocc", "val_srocc"), ("bestValidationPlcc", "val_plcc"), ("bestEpoch", "best_epoch") })
        {
            if (report?[key] is JsonValue value && double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && double.IsFinite(number))
            {
                metrics[name] = key == "bestEpoch" ? number + 1 : number;
            }
        }

        return metrics;
    }
}
