using MetaQap.Components.Jobs;
using MetaQap.Contracts;

namespace MetaQap.Components.Scoring;

/// <summary>
/// The one rule for a job that asks for a model version: its images are scored only by exactly that version, and
/// fail with <see cref="FailureCode.ModelVersionUnavailable"/> otherwise; a job that asks for none takes whichever is
/// loaded. Checked when the job is recorded, before a batch is scored, and on the version that scored it (a promotion
/// may switch the model in between).
/// </summary>
public static class ModelVersionRule
{
    /// <summary>Null when a model of <paramref name="available"/> may score an image that asked for <paramref name="requested"/>.</summary>
    /// <param name="switched">The model was switched after the image was taken: the wording says so.</param>
    public static ImageFailure? Check(string? requested, string available, bool switched = false) =>
        requested is { Length: > 0 } && requested != available
            ? new ImageFailure(FailureCode.ModelVersionUnavailable, switched
                ? $"Model version '{requested}' was requested; this worker switched to '{available}'."
                : $"Model version '{requested}' was requested; this worker has '{available}'.")
            : null;
}
