using System.Diagnostics;
using MetaQap.Components.Jobs;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Sources;

/// <summary>An image ready for the model, or why it is not.</summary>
public sealed record LoadedImage(RgbImage? Image, ImageFailure? Failure);

/// <summary>
/// Fetches and decodes images in parallel, at most <see cref="SourceOptions.FetchConcurrency"/> at a time across
/// every batch in hand (the bound is what back-pressures I/O; the batch consumer's prefetch bounds the queue).
/// The byte and pixel limits are checked before decoding: a decompression bomb is refused on its header.
/// </summary>
public sealed class ImageLoader : IDisposable
{
    private readonly FileImageSource _files;
    private readonly HttpImageSource _http;
    private readonly InlineImageSource _inline;
    private readonly WorkerMetrics _metrics;
    private readonly DecodeOptions _decodeOptions;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _fetchTimeout;
    private readonly ILogger<ImageLoader> _logger;

    public ImageLoader(FileImageSource files, HttpImageSource http, InlineImageSource inline, WorkerMetrics metrics,
        IOptions<SourceOptions> options, ILogger<ImageLoader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _files = files;
        _http = http;
        _inline = inline;
        _metrics = metrics;
        _decodeOptions = new DecodeOptions { MaxBytes = options.Value.MaxBytes, MaxPixels = options.Value.MaxPixels };
        _slots = new SemaphoreSlim(options.Value.FetchConcurrency);
        _fetchTimeout = options.Value.FetchTimeout;
    }

    /// <param name="locations">Where each image is, resolved inside that image's own failure handling: a location
    /// that cannot be resolved (an invalid reference) fails its image alone.</param>
    /// <param name="decodeShorterSide">See <see cref="DecodeOptions.MinShorterSide"/>: the scorer's
    /// <c>DecodeShorterSide</c>, or null for full-size images.</param>
    /// <param name="cancellationToken">Stops fetching.</param>
    public Task<LoadedImage[]> LoadAllAsync(IEnumerable<Func<ImageLocation>> locations, int? decodeShorterSide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locations);
        DecodeOptions options = decodeShorterSide is null ? _decodeOptions : _decodeOptions with { MinShorterSide = decodeShorterSide };
        return Task.WhenAll(locations.Select(l => LoadAsync(l, options, cancellationToken)));
    }

    /// <summary>Images referenced as sent (a uri or base64 each), parsed here.</summary>
    public Task<LoadedImage[]> LoadAllAsync(IEnumerable<(string? Uri, string? Base64)> references, int? decodeShorterSide, CancellationToken cancellationToken) =>
        LoadAllAsync(references.Select(r => (Func<ImageLocation>)(() => ImageLocation.Parse(r.Uri, r.Base64))), decodeShorterSide, cancellationToken);

    private async Task<LoadedImage> LoadAsync(Func<ImageLocation> locate, DecodeOptions decodeOptions, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            long started = Stopwatch.GetTimestamp();
            byte[] bytes = await FetchWithDeadlineAsync(locate(), cancellationToken);
            _metrics.ObserveStage(WorkerMetrics.Stages.Fetch, Stopwatch.GetElapsedTime(started));

            started = Stopwatch.GetTimestamp();
            // Decoding is CPU work: off the I/O continuation, on the pool.
            RgbImage image = await Task.Run(() => ImageDecoder.Decode(bytes, decodeOptions), cancellationToken);
            _metrics.ObserveStage(WorkerMetrics.Stages.Decode, Stopwatch.GetElapsedTime(started));
            return new LoadedImage(image, null);
        }
        catch (ImageFetchException e)
        {
            return Failed(new ImageFailure(e.Code, e.Message));
        }
        catch (ImageDecodeException e)
        {
            return Failed(new ImageFailure(ToFailureCode(e.Code), e.Message));
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// An expected outcome of hostile or broken input, so one Information line with its code and no stack trace.
    /// The detail is the one stored and published: credentials and query strings never appear in it.
    /// </summary>
    private LoadedImage Failed(ImageFailure failure)
    {
        _logger.LogInformation("Image not loaded: {FailureCode}: {Detail}", failure.Code, failure.Detail);
        return new LoadedImage(null, failure);
    }

    public static FailureCode ToFailureCode(ImageErrorCode code) => code switch
    {
        ImageErrorCode.Empty => FailureCode.Empty,
        ImageErrorCode.UnsupportedFormat => FailureCode.UnsupportedFormat,
        ImageErrorCode.Truncated => FailureCode.Truncated,
        ImageErrorCode.TooLarge => FailureCode.TooLarge,
        _ => FailureCode.Corrupt,
    };

    public void Dispose() => _slots.Dispose();

    /// <summary>
    /// The fetch, bounded by <see cref="SourceOptions.FetchTimeout"/> even when it ignores its token (a read blocked
    /// in the kernel cannot be cancelled): the image fails with FetchTimeout and its slot is freed; the abandoned read
    /// ends on its own, its result discarded.
    /// </summary>
    private async Task<byte[]> FetchWithDeadlineAsync(ImageLocation location, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_fetchTimeout);
        Task<byte[]> fetch = FetchAsync(location, deadline.Token);
        try
        {
            // One timer: the deadline's token both reaches the fetch and ends the wait for it.
            return await fetch.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _ = fetch.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ImageFetchException(FailureCode.FetchTimeout, $"The image could not be fetched within {_fetchTimeout.TotalSeconds:0.###} s.", e);
        }
    }

    private async Task<byte[]> FetchAsync(ImageLocation location, CancellationToken cancellationToken) => location switch
    {
        FileLocation file => await _files.ReadAsync(file, cancellationToken),
        HttpLocation http => await _http.FetchAsync(http, cancellationToken),
        InlineLocation inline => _inline.Read(inline),
        _ => throw new ImageFetchException(FailureCode.InvalidReference, "Unknown reference kind."),
    };
}
