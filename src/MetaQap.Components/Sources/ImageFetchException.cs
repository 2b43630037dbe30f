using MetaQap.Contracts;

namespace MetaQap.Components.Sources;

/// <summary>An image could not be fetched; <see cref="Code"/> is what the image's failure event carries.</summary>
public sealed class ImageFetchException : Exception
{
    public ImageFetchException(FailureCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ImageFetchException(FailureCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public ImageFetchException()
        : this(FailureCode.FetchFailed, "The image could not be fetched.")
    {
    }

    public ImageFetchException(string message)
        : this(FailureCode.FetchFailed, message)
    {
    }

    public ImageFetchException(string message, Exception innerException)
        : this(FailureCode.FetchFailed, message, innerException)
    {
    }

    public FailureCode Code { get; }
}
