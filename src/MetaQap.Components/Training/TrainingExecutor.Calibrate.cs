using System.Globalization;
using MetaQap.Components.Registry;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.Training;

namespace MetaQap.Components.Training;

public sealed partial class TrainingExecutor
{
    /// <summary>
    /// A <see cref="CalibratePlan"/>: measures the rated images, fits and writes the calibrated ensemble straight into
    /// its store folder (the builder renames a finished folder into place, so none is ever half-written). An ensemble
    /// already there from an attempt that died before registering it is registered as it is.
    /// </summary>
    private EnsembleRecord Calibrate(CalibratePlan plan, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        string relative = ModelStore.EnsembleFolder(plan.RunId);
        string target = store.Resolve(relative);
        if (!File.Exists(Path.Combine(target, EnsembleArtifact.ManifestFileName)))
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // an empty folder; the builder never leaves a partial one
            }

            var measured = new Progress<int>(done => progress.Report(new TrainingProgress("calibrate", TrainingPhase.Training, 0, 1, done,
                plan.Items.Count, double.NaN, 0, null, null, 0, null)));
            try
            {
                EnsembleCalibrator.Run(new CalibrationRequest
                {
                    SourceEnsemble = plan.SourceDirectory,
                    Items = plan.Items,
                    OutputDirectory = target,
                    Version = plan.Version,
                    Command = string.Create(CultureInfo.InvariantCulture, $"CalibrateEnsemble {plan.RunId:D} of ensemble {plan.Source.Id:D}"),
                    DataDescription = $"calibration ratings: {plan.DatasetPath} ({plan.Items.Count} items; the user's own, not redistributed)",
                    Options = plan.Options,
                }, measured, cancellationToken);
            }
            catch (CalibrationException e)
            {
                throw CalibrationPlanner.From(e);
            }
        }

        return Registered(plan.RunId, relative, plan.Source.BaseModels);
    }
}
