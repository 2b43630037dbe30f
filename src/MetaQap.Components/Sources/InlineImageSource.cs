using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Sources;

/// <summary>Decodes inline base64 images, refusing anything over the inline cap before allocating it.</summary>
public sealed class InlineImageSource(IOptions<SourceOptions> options)
{
    private readonly long _maxBytes = options.Value.MaxInlineBytes;

    public byte[] Read(InlineLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        string data = location.Base64;
        // Four characters carry three bytes; padding aside this bounds the decoded size from above.
        long decodedUpperBound = (data.Length + 3L) / 4 * 3;
        if (decodedUpperBound - 2 > _maxBytes)
        {
            throw new ImageFetchException(FailureCode.TooLarge,
                $"The inline image has about {decodedUpperBound} bytes, over the limit of {_maxBytes}.");
        }

        byte[] buffer = new byte[decodedUpperBound];
        if (!Convert.TryFromBase64String(data, buffer, out int written))
        {
            throw new ImageFetchException(FailureCode.InvalidReference, "The base64 field is not valid base64.");
        }

        if (written > _maxBytes)
        {
            throw new ImageFetchException(FailureCode.TooLarge, $"The inline image has {written} bytes, over the limit of {_maxBytes}.");
        }

        return buffer.AsSpan(0, written).ToArray();
    }
}
