using System.Globalization;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MetaQap.Worker.Tests.Sources;

/// <summary>
/// One bad, hostile or unusual image reference and what the worker must make of it: a failure code, or a score
/// (with a check of the decoded pixels where decoding is the point).
/// </summary>
internal sealed record HostileCase(string Id, ImageReference Reference, FailureCode? Failure, Func<RgbImage, string?>? Pixels = null);

/// <summary>
/// The table of hostile inputs (issue 8, item 2), shared by the source-level test and the end-to-end job: files in
/// a file root (and a folder beside it that is out of bounds), a web server on 127.0.0.1 that misbehaves in every
/// way, and the references to them. The sources run with small limits so that "over the cap" stays cheap.
/// </summary>
internal sealed class HostileInputs : IAsyncDisposable
{
    public const long MaxBytes = 256 * 1024;
    public const long MaxInlineBytes = 4096;
    // Long enough for a cold HTTP stack on a busy 2-core machine, short enough for the stalling sources.
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(2);

    private HostileInputs(WebApplication server)
    {
        Server = server;
    }

    private System.Net.Sockets.Socket? _socket;

    public TempFolder Root { get; } = new();

    public TempFolder Outside { get; } = new();

    public WebApplication Server { get; }

    public Uri Base { get; private set; } = null!;

    public IReadOnlyList<HostileCase> Cases { get; private set; } = [];

    /// <summary>
    /// The sources' settings for the table: the file root, no host allow-list (so the address checks are what
    /// refuse), private networks refused except the test server's own 127.0.0.1, small caps and timeout.
    /// </summary>
    public Dictionary<string, string?> SourceSettings() => new()
    {
        ["MetaQap:Sources:FileRoots:0"] = Root.Path,
        ["MetaQap:Sources:AllowPrivateNetworks"] = "false",
        ["MetaQap:Sources:AllowedNetworks:0"] = "127.0.0.1/32",
        ["MetaQap:Sources:MaxBytes"] = MaxBytes.ToString(CultureInfo.InvariantCulture),
        ["MetaQap:Sources:MaxInlineBytes"] = MaxInlineBytes.ToString(CultureInfo.InvariantCulture),
        ["MetaQap:Sources:HttpTimeout"] = HttpTimeout.ToString("c", CultureInfo.InvariantCulture),
    };

    public static async Task<HostileInputs> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.None);
        WebApplication server = builder.Build();
        var inputs = new HostileInputs(server);
        inputs.MapServer();
        await server.StartAsync();
        inputs.Base = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        inputs.Cases = inputs.WriteCases();
        // The first request JIT-compiles the server's pipeline; do it now, not inside a download's timeout.
        using var warmUp = new HttpClient();
        await warmUp.GetByteArrayAsync(new Uri(inputs.Base, "/image.png"));
        return inputs;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _socket?.Dispose();
        Root.Dispose();
        Outside.Dispose();
    }

    private static readonly byte[] ServedPng = ImageEncoder.EncodePng(SyntheticImages.Content(48, seed: 21));

    private void MapServer()
    {
        Server.MapGet("/image.png", () => Results.Bytes(ServedPng, "image/png"));
        Server.MapGet("/to", (string u) => Results.Redirect(u));
        Server.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        // Accepts the request and never answers.
        Server.MapGet("/stall", async (CancellationToken ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Results.Ok();
        });
        // Answers at once, then sends one byte every 300 ms for ever (slowloris in reverse).
        Server.MapGet("/trickle", async (HttpContext context) =>
        {
            context.Response.ContentType = "image/png";
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(new byte[] { 0x89 }, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(300, context.RequestAborted);
            }
        });
        // No Content-Length and no end: the cap has to cut it.
        Server.MapGet("/endless", async (HttpContext context) =>
        {
            byte[] chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        Server.MapGet("/declared-huge", async (HttpContext context) =>
        {
            context.Response.ContentLength = 10L * 1024 * 1024 * 1024;
            await context.Response.Body.WriteAsync(new byte[1024], context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
    }

    private List<HostileCase> WriteCases()
    {
        byte[] jpeg = ImageEncoder.EncodeJpeg(SyntheticImages.Content(128, seed: 11), 90);
        byte[] png = ImageEncoder.EncodePng(SyntheticImages.Content(128, seed: 12));
        byte[] random = new byte[4096];
        new Random(13).NextBytes(random);
        random[0] = 0x00; // never a valid signature by accident
        byte[] oversized = new byte[MaxBytes + 1];
        new Random(14).NextBytes(oversized);
        Directory.CreateDirectory(Root.Combine("sub"));
        System.IO.File.WriteAllBytes(Outside.Combine("secret.png"), png);
        System.IO.File.CreateSymbolicLink(Root.Combine("link-out.png"), Outside.Combine("secret.png"));
        Directory.CreateSymbolicLink(Root.Combine("folder-out"), Outside.Path);
        Write("empty.png", []);
        Write("truncated.jpg", jpeg[..(jpeg.Length / 2)]);
        Write("truncated.png", png[..(png.Length / 2)]);
        Write("random.bin", random);
        System.IO.File.WriteAllText(Root.Combine("notes.jpg"), "this is not an image\n");
        Write("huffman.jpg", BrokenImages.WithDestroyedHuffmanTable(ImageEncoder.EncodeJpeg(SyntheticImages.Content(64, seed: 15), 90)));
        Write("bomb.png", BrokenImages.PngHeaderOnly(30000, 30000));
        Write("bomb.jpg", HostileFiles.JpegDeclaring(65000, 65000));
        Write("oversized.png", [.. png[..8], .. oversized]);
        Write("animated.gif", HostileFiles.AnimatedGif());
        Write("animated.webp", HostileFiles.AnimatedWebp(24, 16, (1f, 0f, 0f), (0f, 0f, 1f)));
        Write("cmyk.jpg", Convert.FromBase64String(HostileFiles.CmykJpegBase64));
        Write("16-bit.png", HostileFiles.Png16(65535, 32768, 0));
        Write("rotated.jpg", HostileFiles.ExifOrientedJpeg(6));
        Write("ok.png", png);
        // Things that are not regular files inside the root: a named pipe with no writer (whose open would block
        // forever) and a Unix socket. A device node needs root (TestFiles.DeviceNode; FileSourceTests).
        TestFiles.MakeFifo(Root.Combine("pipe.png"));
        _socket = TestFiles.BindUnixSocket(Root.Combine("socket.png"));

        string port = Base.Port.ToString(CultureInfo.InvariantCulture);
        string inline = Convert.ToBase64String(ImageEncoder.EncodePng(SyntheticImages.Content(24, seed: 16)));
        string overInline = Convert.ToBase64String(png);
        string Redirect(string target) => new Uri(Base, $"/to?u={Uri.EscapeDataString(target)}").AbsoluteUri;
        string At(string path) => new Uri(Base, path).AbsoluteUri;

        return
        [
            // Files that are not (whole) images.
            Case("zero-bytes", "empty.png", FailureCode.Empty),
            Case("truncated-jpeg", "truncated.jpg", FailureCode.Truncated),
            Case("truncated-png", "truncated.png", FailureCode.Truncated),
            Case("random-bytes", "random.bin", FailureCode.UnsupportedFormat),
            Case("text-as-jpg", "notes.jpg", FailureCode.UnsupportedFormat),
            Case("broken-huffman-jpeg", "huffman.jpg", FailureCode.Corrupt),
            Case("bomb-png-30000x30000", "bomb.png", FailureCode.TooLarge),
            Case("bomb-jpeg-65000x65000", "bomb.jpg", FailureCode.TooLarge),
            Case("file-over-size-cap", "oversized.png", FailureCode.TooLarge),
            // Images that are unusual but fine, or refused by decision.
            Case("animated-gif", "animated.gif", FailureCode.UnsupportedFormat),
            Case("animated-webp-first-frame", "animated.webp", null, image =>
                (image.Width, image.Height) != (24, 16) ? $"{image.Width}x{image.Height}, expected the 24x16 canvas"
                : Mean(image, 0) < 0.9 || Mean(image, 2) > 0.1 ? "not the first (red) frame" : null),
            Case("cmyk-jpeg", "cmyk.jpg", null, image =>
                image[0, 8, 2] > 0.1 || image[1, 8, 2] < 0.9 || image[2, 8, 2] < 0.9 ? "the cyan half is not cyan"
                : image[0, 8, 13] > 0.1 || image[1, 8, 13] > 0.1 ? "the black half is not black" : null),
            Case("png-16-bit", "16-bit.png", null, image =>
                Math.Abs(image[0, 4, 4] - 1f) > 0.01 || Math.Abs(image[1, 4, 4] - 0.5f) > 0.01 || image[2, 4, 4] > 0.01
                    ? "16-bit samples were not scaled to 0-1" : null),
            Case("exif-rotated-jpeg", "rotated.jpg", null, image =>
                (image.Width, image.Height) != (16, 32) ? $"{image.Width}x{image.Height}: orientation 6 was not applied" : null),
            Case("plain-png", "ok.png", null),
            // Paths out of bounds.
            Case("dot-dot", "../secret.png", FailureCode.AccessDenied),
            Case("dot-dot-inside", "sub/../ok.png", FailureCode.AccessDenied),
            Case("absolute-elsewhere", "/etc/passwd", FailureCode.AccessDenied),
            Case("file-uri-elsewhere", "file:///etc/hostname", FailureCode.AccessDenied),
            Case("symlink-file-out", "link-out.png", FailureCode.AccessDenied),
            Case("symlink-folder-out", "folder-out/secret.png", FailureCode.AccessDenied),
            Case("file-uri-remote-host", "file://fileserver/share/a.png", FailureCode.InvalidReference),
            Case("missing-file", "sub/none.png", FailureCode.NotFound),
            Case("folder-not-file", "sub", FailureCode.NotFound),
            Case("fifo-in-root", "pipe.png", FailureCode.NotRegularFile),
            Case("socket-in-root", "socket.png", FailureCode.NotRegularFile),
            // Addresses that are not public (SSRF), literally or by redirect.
            Case("url-allowed-network", At("/image.png"), null),
            Case("url-other-loopback", $"http://127.0.0.2:{port}/image.png", FailureCode.AccessDenied),
            Case("url-ipv6-loopback", $"http://[::1]:{port}/image.png", FailureCode.AccessDenied),
            Case("url-decimal-loopback", $"http://2130706434:{port}/image.png", FailureCode.AccessDenied), // 127.0.0.2
            Case("url-unspecified", $"http://0.0.0.0:{port}/image.png", FailureCode.AccessDenied),
            Case("url-private-10", "http://10.0.0.1/image.png", FailureCode.AccessDenied),
            Case("url-private-192-168", "http://192.168.1.1/image.png", FailureCode.AccessDenied),
            Case("url-cloud-metadata", "http://169.254.169.254/latest/meta-data/", FailureCode.AccessDenied),
            Case("url-metadata-v4-mapped", "http://[::ffff:169.254.169.254]/latest/meta-data/", FailureCode.AccessDenied),
            Case("url-with-credentials", $"http://user:pw-in-url@127.0.0.2:{port}/image.png?sig=token-in-query", FailureCode.AccessDenied),
            Case("redirect-to-metadata", Redirect("http://169.254.169.254/latest/meta-data/"), FailureCode.AccessDenied),
            Case("redirect-to-private", Redirect("http://10.1.2.3/image.png"), FailureCode.AccessDenied),
            Case("redirect-to-other-loopback", Redirect($"http://127.0.0.2:{port}/image.png"), FailureCode.AccessDenied),
            Case("redirect-to-file", Redirect("file:///etc/passwd"), FailureCode.AccessDenied),
            Case("redirect-to-ftp", Redirect("ftp://example.com/image.png"), FailureCode.AccessDenied),
            // Sources that misbehave.
            Case("http-stalls", At("/stall"), FailureCode.FetchTimeout),
            Case("http-trickles", At("/trickle"), FailureCode.FetchTimeout),
            Case("http-endless-body", At("/endless"), FailureCode.TooLarge),
            Case("http-declares-10-gb", At("/declared-huge"), FailureCode.TooLarge),
            Case("http-404", At("/status/404"), FailureCode.NotFound),
            Case("http-403", At("/status/403"), FailureCode.AccessDenied),
            Case("http-500", At("/status/500"), FailureCode.FetchFailed),
            // Schemes that are not served.
            Case("scheme-ftp", "ftp://example.com/image.png", FailureCode.InvalidReference),
            Case("scheme-gopher", "gopher://example.com/1", FailureCode.InvalidReference),
            Case("scheme-data", "data:image/png;base64,iVBORw0KGgo=", FailureCode.InvalidReference),
            Case("scheme-javascript", "javascript:alert(1)", FailureCode.InvalidReference),
            Case("uri-with-nul", "sub/a\0b.png", FailureCode.InvalidReference),
            // Inline data.
            new("inline-ok", new ImageReference { Id = "inline-ok", Base64 = inline }, null),
            new("inline-over-cap", new ImageReference { Id = "inline-over-cap", Base64 = overInline }, FailureCode.TooLarge),
            new("inline-not-base64", new ImageReference { Id = "inline-not-base64", Base64 = "not base64!" }, FailureCode.InvalidReference),
            new("uri-and-base64", new ImageReference { Id = "uri-and-base64", Uri = "ok.png", Base64 = inline }, FailureCode.InvalidReference),
            new("neither-uri-nor-base64", new ImageReference { Id = "neither-uri-nor-base64" }, FailureCode.InvalidReference),
        ];
    }

    private static HostileCase Case(string id, string uri, FailureCode? failure, Func<RgbImage, string?>? pixels = null) =>
        new(id, new ImageReference { Id = id, Uri = uri }, failure, pixels);

    private void Write(string name, byte[] bytes) => System.IO.File.WriteAllBytes(Root.Combine(name), bytes);

    private static double Mean(RgbImage image, int channel)
    {
        double sum = 0;
        foreach (float value in image.ReadPlane(channel))
        {
            sum += value;
        }

        return sum / (image.Width * image.Height);
    }
}
