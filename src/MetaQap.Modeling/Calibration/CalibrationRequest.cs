using MetaQap.Imaging.Datasets;

namespace MetaQap.Modeling.Calibration;

/// <summary>One calibration: which ensemble, which rated images, where the new ensemble goes and what it records.</summary>
public sealed record CalibrationRequest
{
    /// <summary>The ensemble folder to calibrate (any valid ensemble that is not itself calibrated).</summary>
    public required string SourceEnsemble { get; init; }

    /// <summary>The user's rated images, MOS on [0, 1] (as every dataset reader gives it).</summary>
    public required IReadOnlyList<DatasetItem> Items { get; init; }

    /// <summary>The new ensemble's folder: must not exist or be empty.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// The version every score of the calibrated ensemble reports; null: the source's version and a UTC time stamp
    /// (<c>&lt;version&gt;-cal-yyyyMMdd-HHmmss</c>), so two calibrations of one ensemble never share a version.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>Provenance: the command that asked for it, the dataset's description and the code's commit.</summary>
    public required string Command { get; init; }

    public required string DataDescription { get; init; }

    public string GitCommit { get; init; } = "unknown";

    /// <summary>The converted ImageNet weights; null: <see cref="ImageNet.ImageNetPackage.EnsureConverted"/>.</summary>
    public string? TrunkWeights { get; init; }

    public CalibrationOptions Options { get; init; } = new();
}

/// <summary>What a calibration wrote and measured.</summary>
public sealed record CalibrationResult(string Directory, Artifacts.EnsembleManifest Manifest, CalibrationFit Fit, double Seconds);
