namespace MetaQap.Imaging.Decoding;

/// <summary>An image that cannot be turned into pixels, with the reason as a stable code.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ImageDecodeException(ImageErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public ImageDecodeException()
        : this(ImageErrorCode.Corrupt, "The image could not be decoded.")
    {
    }

    public ImageDecodeException(string message)
        : this(ImageErrorCode.Corrupt, message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : this(ImageErrorCode.Corrupt, message, innerException)
    {
    }

    public ImageErrorCode Code { get; }
}
