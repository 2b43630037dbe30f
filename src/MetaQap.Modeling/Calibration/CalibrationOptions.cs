using MetaQap.Modeling.Backbones;

namespace MetaQap.Modeling.Calibration;

/// <summary>How <see cref="EnsembleCalibrator"/> fits a user's ratings.</summary>
public sealed record CalibrationOptions
{
    /// <summary>The fewest rated images accepted (each of the 5 cross-validation folds then holds at least 6).</summary>
    public const int MinimumItems = 30;

    /// <summary>
    /// The frozen trunk's features the head reads: the stem's and all nine blocks' channel mean and std (4,992 values).
    /// Measured on biq2021-dev at N = 200 (docs/calibration.md) they beat the four stage outputs alone (0.714 vs 0.706).
    /// </summary>
    public string Architecture { get; init; } = "resnet18_cntk_blocks";

    /// <summary>Side of the scoring view and of the trunk's input (the image is scaled so its shorter side is this, then centre-cropped).</summary>
    public int ViewSide { get; init; } = 512;

    /// <summary>Rated images required; at least <see cref="MinimumItems"/>.</summary>
    public int MinItems { get; init; } = MinimumItems;

    /// <summary>The ridge penalties searched by leave-one-out error (standardised features, so in units of rows).</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = DefaultLambdas;

    /// <summary>
    /// How much the source ensemble's base scores may weigh against the trunk features, the candidates the fit chooses
    /// among by leave-one-out error with λ: a base score is one strong predictor, not one feature among thousands, so
    /// shrinking it like any feature (weight 1) wastes it. At N = 200 on biq2021-dev the choice is mostly 10.
    /// </summary>
    public IReadOnlyList<double> BaseScoreWeights { get; init; } = [1, 3, 10, 30, 100];

    /// <summary>Folds of the cross-validation that estimates how well the calibration ranks unseen images (reported, not used to fit).</summary>
    public int CrossValidationFolds { get; init; } = 5;

    /// <summary>Seed of the cross-validation folds.</summary>
    public int Seed { get; init; }

    /// <summary>Images decoded and run per pass.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Torch CPU threads while calibrating (0: keep the current setting).</summary>
    public int Threads { get; init; }

    /// <summary>Name of the calibrated head in the new ensemble.</summary>
    public string HeadName { get; init; } = "calibration";

    /// <summary>Quarter decades from 10 to 10⁶: with few rows the best penalty is often between half decades.</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } =
        [.. Enumerable.Range(0, 21).Select(k => Math.Round(10 * Math.Pow(10, k / 4.0), 1))];

    public void Validate()
    {
        _ = ResNetCntk.MapsOf(Architecture); // throws for anything but a resnet18_cntk variant

        if (ViewSide is < 64 or > 2048 || ViewSide % 32 != 0)
        {
            throw new ArgumentException($"The view side must be a multiple of 32 from 64 to 2048, not {ViewSide}.");
        }

        if (MinItems < MinimumItems)
        {
            throw new ArgumentException($"At least {MinimumItems} rated images are required, not {MinItems}.");
        }

        if (Lambdas.Count == 0 || Lambdas.Any(l => !(l > 0) || !double.IsFinite(l)))
        {
            throw new ArgumentException("The ridge penalties must be finite and positive.");
        }

        if (BaseScoreWeights.Count == 0 || BaseScoreWeights.Any(w => !(w > 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException("The base-score weights must be finite and positive.");
        }

        if (CrossValidationFolds is < 2 or > 20 || BatchSize is < 1 or > 256 || Threads < 0 || string.IsNullOrWhiteSpace(HeadName))
        {
            throw new ArgumentException("Cross-validation folds must be 2–20, the batch size 1–256, threads at least 0, and the head needs a name.");
        }
    }
}
