using System.Net;
using System.Net.Sockets;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Sources;

/// <summary>
/// Downloads images over http(s) through <see cref="IHttpClientFactory"/>: one timeout for the whole download,
/// a byte cap checked on the header and while reading, a host allow-list, and redirects followed by hand so every
/// hop is checked again. Addresses are checked where the socket connects (<see cref="ConnectAsync"/>), after DNS,
/// so a name that resolves to a private address is refused too.
/// </summary>
public sealed class HttpImageSource(IHttpClientFactory clients, IOptions<SourceOptions> options)
{
    public const string ClientName = "metaqap-image-sources";
    private readonly SourceOptions _options = options.Value;

    public async Task<byte[]> FetchAsync(HttpLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HttpTimeout);
        HttpClient client = clients.CreateClient(ClientName);
        Uri current = location.Uri;
        try
        {
            for (int redirects = 0; ; redirects++)
            {
                CheckAllowed(current);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } next)
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        throw new ImageFetchException(FailureCode.FetchFailed, $"More than {_options.MaxRedirects} redirects.");
                    }

                    current = next.IsAbsoluteUri ? next : new Uri(current, next);
                    continue;
                }

                ThrowOnError(response.StatusCode);
                return await ReadCappedAsync(response, timeout.Token);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageFetchException(FailureCode.FetchTimeout, $"The download took longer than {_options.HttpTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw Classify(e);
        }
    }

    /// <summary>The socket factory of the image client: resolve, refuse restricted addresses, connect to what was checked.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, ConnectPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        DnsEndPoint endpoint = context.DnsEndPoint;
        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        foreach (IPAddress address in addresses)
        {
            if (policy.RefusalOf(address) is { } kind)
            {
                throw new ImageFetchException(FailureCode.AccessDenied,
                    $"'{endpoint.Host}' resolves to {address}, {kind} address; private networks are not allowed (SSRF protection).");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void CheckAllowed(Uri uri)
    {
        if (uri.Scheme is not ("http" or "https"))
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"A redirect to a {uri.Scheme}: URI is not followed.");
        }

        string host = uri.IdnHost;
        if (_options.AllowedHosts.Length > 0 && !_options.AllowedHosts.Any(pattern => HostMatches(host, pattern)))
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"The host '{host}' is not on the allow-list.");
        }
    }

    private static bool HostMatches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);

    private static bool IsRedirect(HttpStatusCode code) => code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static void ThrowOnError(HttpStatusCode code)
    {
        switch (code)
        {
            case >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices:
                return;
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                throw new ImageFetchException(FailureCode.NotFound, $"HTTP {(int)code}.");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new ImageFetchException(FailureCode.AccessDenied, $"HTTP {(int)code}.");
            default:
                throw new ImageFetchException(FailureCode.FetchFailed, $"HTTP {(int)code}.");
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        long max = _options.MaxBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            throw new ImageFetchException(FailureCode.TooLarge, $"The response declares {declared} bytes, over the limit of {max}.");
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new ImageFetchException(FailureCode.TooLarge, $"The response is over the limit of {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ImageFetchException Classify(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ImageFetchException fetch:
                    return new ImageFetchException(fetch.Code, fetch.Message, e);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } dns:
                    return new ImageFetchException(FailureCode.NotFound, $"The host name does not resolve ({dns.SocketErrorCode}).", e);
            }
        }

        return new ImageFetchException(FailureCode.FetchFailed, $"The download failed: {e.Message}", e);
    }
}
