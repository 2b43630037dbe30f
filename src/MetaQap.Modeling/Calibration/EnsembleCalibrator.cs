using System.Diagnostics;
using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Calibration;

/// <summary>
/// Bends an ensemble to a user's notion of quality with a few hundred of their ratings (docs/calibration.md): the
/// rated images are scored by the ensemble and described by the frozen ImageNet trunk, <see cref="CalibrationFit"/>
/// regresses the ratings on both, and the result is written as a normal ensemble — the source's base models plus a
/// linear head on the trunk — that `eval`, `score` and the worker load like any other. Its scores are then on the
/// user's scale: 100 × their [0, 1] MOS.
/// </summary>
public static class EnsembleCalibrator
{
    /// <param name="progress">Receives the number of rated images measured after each batch.</param>
    /// <exception cref="CalibrationException">The ratings or the ensemble cannot be calibrated; nothing was written.</exception>
    /// <exception cref="ArtifactException">The source ensemble is refused.</exception>
    /// <exception cref="ImageNetWeightsException">The ImageNet package is missing.</exception>
    public static CalibrationResult Run(CalibrationRequest request, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CalibrationOptions options = request.Options;
        options.Validate();
        var clock = Stopwatch.StartNew();
        string output = Path.GetFullPath(request.OutputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new IOException($"Output folder {output} already exists and is not empty.");
        }

        if (request.Version is { } given)
        {
            ManifestValidator.RequireIdentifier(given, "$.version"); // before minutes of measuring, not after
        }

        CalibrationFit.CheckRatings([.. request.Items.Select(i => i.Mos)], options);
        using var threads = TorchThreads.Use(options.Threads);
        string source = Path.GetFullPath(request.SourceEnsemble);
        string trunkWeights = request.TrunkWeights ?? ImageNetPackage.EnsureConverted();
        EnsembleManifest manifest;
        string version;
        CalibrationRows rows;
        using (EnsemblePredictor predictor = OpenSource(source))
        {
            manifest = predictor.Manifest;
            version = request.Version ?? string.Create(CultureInfo.InvariantCulture, $"{manifest.Version}-cal-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            ManifestValidator.RequireIdentifier(version, "$.version");
            rows = MeasureWith(predictor, trunkWeights, request.Items, options, progress, cancellationToken);
        }

        CalibrationFit fit = CalibrationFit.Fit(rows, options, cancellationToken);
        string head = HeadName(manifest, options.HeadName);
        string parent = Path.GetDirectoryName(output) ?? throw new IOException($"Output folder {output} has no parent.");
        Directory.CreateDirectory(parent);
        string headWeights = Path.Combine(parent, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.head.safetensors");
        try
        {
            // The head as a whole base model: the ImageNet trunk and the fit's linear quality layer.
            TrunkHeadWeights.Write(headWeights, options.Architecture, qualityHidden: 0, trunkWeights, network => network.SetLinearQualityHead(fit.HeadWeights, fit.HeadBias));
            // Base scores read from the calibration's own trunk pass were measured at its view: the source's heads run there.
            int? view = rows.BaseScoresAtView ? options.ViewSide : null;
            IReadOnlyList<BaseModelSource> sources = [.. manifest.BaseModels.Select(e => Source(source, e, view)), HeadSource(head, headWeights, options)];
            EnsembleManifest written = EnsembleBuilder.Build(output, sources, fit.MetaLearner(head), new EnsembleBuildOptions
            {
                Version = version,
                Metrics = fit.ManifestMetrics(),
                Provenance = new Provenance
                {
                    Recipe = "calibrate",
                    Command = request.Command,
                    TrainingData =
                    [
                        request.DataDescription,
                        $"calibrated from ensemble {manifest.Version} at {source} (manifest sha256 {EnsembleArtifact.Sha256Of(Path.Combine(source, EnsembleArtifact.ManifestFileName))})",
                        ImageNetPackage.Provenance(trunkWeights),
                        .. Rehomed(manifest, view),
                        .. manifest.Provenance.TrainingData.Select(line => $"source ensemble: {line}"),
                    ],
                    Seed = options.Seed,
                    GitCommit = request.GitCommit,
                    Notes = $"Scores are on the calibration set's scale (100 × its [0, 1] MOS). {fit.Describe()}.",
                },
            });
            return new CalibrationResult(output, written, fit, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            File.Delete(headWeights);
        }
    }

    /// <summary>
    /// The rows a calibration of <paramref name="sourceEnsemble"/> fits on (<see cref="CalibrationRows.Measure"/>), and the
    /// source's manifest. A calibrated source is refused before anything is measured.
    /// </summary>
    public static (CalibrationRows Rows, EnsembleManifest Manifest) Measure(string sourceEnsemble, IReadOnlyList<Imaging.Datasets.DatasetItem> items,
        CalibrationOptions options, string trunkWeights, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using EnsemblePredictor predictor = OpenSource(sourceEnsemble);
        return (MeasureWith(predictor, trunkWeights, items, options, progress, cancellationToken), predictor.Manifest);
    }

    private static CalibrationRows MeasureWith(EnsemblePredictor predictor, string trunkWeights, IReadOnlyList<Imaging.Datasets.DatasetItem> items,
        CalibrationOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using ResNetCntk trunk = ImageNetTrunk.LoadFrozen(trunkWeights);
        return CalibrationRows.Measure(predictor, trunk, items, options, progress, cancellationToken);
    }

    /// <summary>The source ensemble, loaded (its weights' sha256 checked) and refused if it is itself a calibration.</summary>
    private static EnsemblePredictor OpenSource(string sourceEnsemble)
    {
        EnsemblePredictor predictor = EnsemblePredictor.Load(sourceEnsemble);
        if (predictor.Manifest.MetaLearner.Method == MetaLearnerMethods.CalibratedRidge)
        {
            string version = predictor.Manifest.Version;
            predictor.Dispose();
            throw new CalibrationException(CalibrationErrorCode.AlreadyCalibrated,
                $"Ensemble '{version}' at {sourceEnsemble} is already calibrated; calibrate the ensemble it was made from "
                + "(its provenance names it) with all the ratings together.");
        }

        return predictor;
    }

    /// <summary>A base model of the source, copied; run at <paramref name="view"/> when given (a head on the calibration's trunk).</summary>
    private static BaseModelSource Source(string folder, BaseModelEntry entry, int? view) =>
        new(entry.Name, Path.Combine(folder, entry.WeightsFile), entry.Architecture, view ?? entry.InputSize)
        {
            ViewSide = view ?? entry.ViewSide,
            NormalizationMean = entry.NormalizationMean,
            NormalizationStd = entry.NormalizationStd,
            OutputScale = entry.OutputScale,
            QualityHeadHidden = entry.QualityHeadHidden,
            HasDistortionHead = entry.DistortionLabels.Count > 0,
        };

    private static IEnumerable<string> Rehomed(EnsembleManifest manifest, int? view) =>
        view is { } side && manifest.BaseModels.Any(m => m.InputSize != side)
            ? [string.Create(CultureInfo.InvariantCulture, $"the source's base models run at the calibration's {side}-px view (heads on its trunk: one trunk pass for all)")]
            : [];

    private static BaseModelSource HeadSource(string name, string weights, CalibrationOptions options) =>
        new(name, weights, options.Architecture, options.ViewSide)
        {
            ViewSide = options.ViewSide,
            NormalizationMean = ImageNetNormalization.Mean,
            NormalizationStd = ImageNetNormalization.Std,
            OutputScale = new OutputScale { Scale = 100, Offset = 0 },
            HasDistortionHead = false,
        };

    /// <summary><paramref name="name"/>, or with a numeric suffix when the source already has a base model of that name.</summary>
    private static string HeadName(EnsembleManifest manifest, string name)
    {
        string candidate = name;
        for (int k = 2; manifest.BaseModels.Any(m => m.Name == candidate); k++)
        {
            candidate = $"{name}-{k}";
        }

        return candidate;
    }
}
