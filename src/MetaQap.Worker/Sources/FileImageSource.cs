using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Sources;

/// <summary>Reads images from the configured file roots (DESIGN.md §4).</summary>
public sealed class FileImageSource(IOptions<SourceOptions> options)
{
    private readonly FileRoots _roots = new(options.Value.FileRoots);
    private readonly long _maxBytes = options.Value.MaxBytes;

    public async Task<byte[]> ReadAsync(FileLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        string path = _roots.Resolve(location.Path);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            if (stream.Length > _maxBytes)
            {
                throw new ImageFetchException(FailureCode.TooLarge, $"The file has {stream.Length} bytes, over the limit of {_maxBytes}.");
            }

            byte[] bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            return bytes;
        }
        catch (FileNotFoundException e)
        {
            throw new ImageFetchException(FailureCode.NotFound, $"'{location.Path}' does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"'{location.Path}' may not be read: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            // The file shrank between the size check and the read (it is being rewritten).
            throw new ImageFetchException(FailureCode.Truncated, $"'{location.Path}' changed while it was read.", e);
        }
    }
}
