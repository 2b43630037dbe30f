using MetaQap.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace MetaQap.Components.Sources;

/// <summary>
/// Reads images from the configured file roots (DESIGN.md §4): regular files only (<see cref="RegularFile"/>), up to
/// <see cref="SourceOptions.MaxBytes"/>. The caller bounds the read's time (<see cref="SourceOptions.FetchTimeout"/>).
/// </summary>
public sealed class FileImageSource
{
    private readonly FileRoots _roots;
    private readonly long _maxBytes;
    private readonly Func<SafeFileHandle, Memory<byte>, long, CancellationToken, ValueTask<int>> _read;

    public FileImageSource(IOptions<SourceOptions> options)
        : this(options, (handle, buffer, offset, ct) => RandomAccess.ReadAsync(handle, buffer, offset, ct))
    {
    }

    /// <param name="read">Reads at an offset; tests put a read that stalls here.</param>
    internal FileImageSource(IOptions<SourceOptions> options, Func<SafeFileHandle, Memory<byte>, long, CancellationToken, ValueTask<int>> read)
    {
        ArgumentNullException.ThrowIfNull(options);
        _roots = new FileRoots(options.Value.FileRoots);
        _maxBytes = options.Value.MaxBytes;
        _read = read;
    }

    public async Task<byte[]> ReadAsync(FileLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        string path = _roots.Resolve(location.Path);
        try
        {
            using SafeFileHandle handle = RegularFile.OpenRead(path, location.Path);
            long length = RandomAccess.GetLength(handle);
            if (length > _maxBytes)
            {
                throw new ImageFetchException(FailureCode.TooLarge, $"The file has {length} bytes, over the limit of {_maxBytes}.");
            }

            byte[] bytes = new byte[length];
            for (int done = 0; done < bytes.Length;)
            {
                int read = await _read(handle, bytes.AsMemory(done), done, cancellationToken);
                if (read == 0)
                {
                    // The file shrank between the size check and the read (it is being rewritten).
                    throw new ImageFetchException(FailureCode.Truncated, $"'{location.Path}' changed while it was read.");
                }

                done += read;
            }

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
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new ImageFetchException(FailureCode.FetchFailed, $"'{location.Path}' could not be read: {e.Message}", e);
        }
    }
}
