namespace MetaQap.Modeling.Artifacts;

/// <summary>An ensemble folder or manifest was refused; <see cref="Code"/> says why, the message says where.</summary>
public sealed class ArtifactException : Exception
{
    public ArtifactException(ArtifactErrorCode code, string message, string? jsonPath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        JsonPath = jsonPath;
    }

    public ArtifactErrorCode Code { get; }

    /// <summary>The offending manifest field as a JSON path (e.g. "$.base_models[1].sha256"), when there is one.</summary>
    public string? JsonPath { get; }
}
