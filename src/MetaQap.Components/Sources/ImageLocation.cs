using System.Text.RegularExpressions;
using MetaQap.Contracts;

namespace MetaQap.Components.Sources;

/// <summary>A parsed <see cref="ImageReference"/>: a file path, an http(s) URL, or inline base64.</summary>
public abstract partial record ImageLocation
{
    /// <summary>How the reference is stored in the job's results (never the inline bytes themselves).</summary>
    public abstract string Describe();

    /// <summary>Parses the reference's uri/base64 pair, or throws <see cref="FailureCode.InvalidReference"/>.</summary>
    public static ImageLocation Parse(string? uri, string? base64)
    {
        bool hasUri = !string.IsNullOrEmpty(uri);
        bool hasData = !string.IsNullOrEmpty(base64);
        if (hasUri == hasData)
        {
            throw new ImageFetchException(FailureCode.InvalidReference,
                hasUri ? "Both uri and base64 are set; send exactly one." : "Neither uri nor base64 is set.");
        }

        if (hasData)
        {
            return new InlineLocation(base64!);
        }

        if (uri!.Contains('\0', StringComparison.Ordinal))
        {
            throw new ImageFetchException(FailureCode.InvalidReference, "The uri contains a NUL character.");
        }

        // "/abs/path" and "rel/path" are paths; "scheme:..." is a URI, of which only file and http(s) are served.
        Match scheme = SchemePattern().Match(uri);
        if (!scheme.Success)
        {
            return new FileLocation(uri);
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed))
        {
            throw new ImageFetchException(FailureCode.InvalidReference, $"'{Redact(uri)}' is not a valid URI.");
        }

        return parsed.Scheme switch
        {
            "http" or "https" => new HttpLocation(parsed),
            "file" when parsed.Host.Length > 0 && parsed.Host != "localhost" =>
                throw new ImageFetchException(FailureCode.InvalidReference, $"'{Redact(uri)}' names a remote host; file URIs must be local."),
            "file" => new FileLocation(Uri.UnescapeDataString(parsed.AbsolutePath)),
            _ => throw new ImageFetchException(FailureCode.InvalidReference,
                $"The URI scheme '{parsed.Scheme}' is not supported (file, http, https)."),
        };
    }

    /// <summary>
    /// A reference as it may be stored or logged: without user info (<c>user:password@</c>), query or fragment, where
    /// signed URLs and credentials live. Works on text that is not a valid URI too.
    /// </summary>
    public static string Redact(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) && parsed.Scheme != Uri.UriSchemeFile)
        {
            return parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        }

        int cut = uri.IndexOfAny(['?', '#']);
        return UserInfoPattern().Replace(cut < 0 ? uri : uri[..cut], "$1");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@")]
    private static partial Regex UserInfoPattern();
}

/// <summary>A path as sent (absolute, or relative to the first file root); not yet checked against the roots.</summary>
public sealed record FileLocation(string Path) : ImageLocation
{
    public override string Describe() => Path;
}

public sealed record HttpLocation(Uri Uri) : ImageLocation
{
    public override string Describe() => Redact(Uri.OriginalString);
}

public sealed record InlineLocation(string Base64) : ImageLocation
{
    public override string Describe() => $"inline:{Base64.Length} chars";
}
