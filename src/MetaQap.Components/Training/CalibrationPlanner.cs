using MetaQap.Components.Registry;
using MetaQap.Contracts;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Training;

/// <summary>
/// Turns a <see cref="CalibrateEnsemble"/> into a <see cref="CalibratePlan"/>, or a <see cref="TrainingRequestException"/>
/// naming what is wrong: an unknown or damaged ensemble, an already calibrated one, a dataset that cannot be read,
/// too few or constant ratings. Like <see cref="TrainingPlanner"/>, it runs on receipt and again before the run.
/// </summary>
public sealed class CalibrationPlanner(IOptions<TrainingRoleOptions> options, ModelRegistry registry, ModelStore store)
{
    private readonly TrainingDataResolver _data = new(options.Value);

    public async Task<CalibratePlan> PlanAsync(CalibrateEnsemble command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.RunId == Guid.Empty)
        {
            throw Invalid("RunId is missing (an all-zero GUID).");
        }

        var calibration = new CalibrationOptions { ViewSide = command.ViewSide ?? new CalibrationOptions().ViewSide, Threads = options.Value.Threads };
        try
        {
            calibration.Validate();
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }

        string version = command.Version ?? $"cal-{command.RunId.ToString("N")[..8]}";
        if (version.Length > 100 || !EnsembleArtifact.IsValidVersion(version))
        {
            throw Invalid("Version must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (await registry.IsVersionTakenAsync(version, command.RunId, cancellationToken))
        {
            throw Invalid($"Version '{version}' is already used by another ensemble.");
        }

        EnsembleRecord source = await SourceAsync(command.EnsembleId, cancellationToken);
        string directory = store.Resolve(source.Path);
        string manifest = Path.Combine(directory, EnsembleArtifact.ManifestFileName);
        if (!File.Exists(manifest) || ModelStore.Sha256(manifest) != source.ManifestSha256)
        {
            throw new TrainingRequestException(TrainingFailureCode.ArtifactCorrupt,
                $"Ensemble {source.Id} ({source.Version}): its manifest at {source.Path} is missing or no longer matches its SHA-256.");
        }

        if (source.Method == MetaLearnerMethods.CalibratedRidge)
        {
            throw new TrainingRequestException(TrainingFailureCode.AlreadyCalibrated,
                $"Ensemble {source.Id} ({source.Version}) is already calibrated; calibrate the ensemble it was made from with all the ratings together.");
        }

        (Dataset dataset, string path) = _data.ReadDataset(command.Data, "Data");
        try
        {
            CalibrationFit.CheckRatings([.. dataset.Items.Select(i => i.Mos)], calibration);
        }
        catch (CalibrationException e)
        {
            throw From(e);
        }

        return new CalibratePlan(command.RunId, source, directory, dataset.Items, calibration, version, path);
    }

    /// <summary>The run failure a calibration refusal maps to (docs/training.md lists the codes).</summary>
    public static TrainingRequestException From(CalibrationException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        TrainingFailureCode code = e.Code switch
        {
            CalibrationErrorCode.TooFewImages => TrainingFailureCode.TooFewRatings,
            CalibrationErrorCode.ConstantScores => TrainingFailureCode.ConstantRatings,
            CalibrationErrorCode.AlreadyCalibrated => TrainingFailureCode.AlreadyCalibrated,
            CalibrationErrorCode.UnreadableImage => TrainingFailureCode.DataInvalid,
            _ => TrainingFailureCode.InvalidRequest,
        };
        return new TrainingRequestException(code, $"Data: {e.Message}", e);
    }

    private async Task<EnsembleRecord> SourceAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } given)
        {
            return await registry.GetEnsembleAsync(given, cancellationToken)
                ?? throw new TrainingRequestException(TrainingFailureCode.UnknownEnsemble, $"EnsembleId: no registered ensemble {given}.");
        }

        return await registry.GetActiveEnsembleAsync(cancellationToken)
            ?? throw new TrainingRequestException(TrainingFailureCode.UnknownEnsemble,
                "EnsembleId is not set and no ensemble is active: name the registered ensemble to calibrate.");
    }

    private static TrainingRequestException Invalid(string message) => new(TrainingFailureCode.InvalidRequest, message);
}
