namespace MetaQap.Modeling.Artifacts;

/// <summary>Why an ensemble folder was refused.</summary>
public enum ArtifactErrorCode
{
    /// <summary>The folder, or its manifest.json, does not exist.</summary>
    MissingManifest,

    /// <summary>The manifest's format_version is not one this build reads.</summary>
    UnsupportedFormatVersion,

    /// <summary>The manifest is not valid JSON, lacks a field, has a wrong or unknown field, or breaks a rule; see <see cref="ArtifactException.JsonPath"/>.</summary>
    InvalidManifest,

    /// <summary>A weights file named in the manifest does not exist.</summary>
    MissingWeights,

    /// <summary>A weights file's SHA-256 differs from the manifest's.</summary>
    ChecksumMismatch,

    /// <summary>The meta-learner names a predictor that is not one of the base models.</summary>
    UnknownPredictor,
}
