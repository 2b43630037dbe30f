using MetaQap.Components.Sources;
using MetaQap.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaQap.Worker.Tests.Sources;

/// <summary>The http(s) source against a small web server of the test's own on 127.0.0.1.</summary>
public sealed class HttpImageSourceTests : IAsyncLifetime
{
    private static readonly byte[] Image = Enumerable.Range(0, 500).Select(i => (byte)i).ToArray();
    private WebApplication _server = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.None);
        _server = builder.Build();
        _server.MapGet("/image.png", () => Results.Bytes(Image, "image/png"));
        _server.MapGet("/declared-big", (HttpContext c) =>
        {
            c.Response.ContentLength = 2000;
            return c.Response.Body.WriteAsync(new byte[2000]).AsTask();
        });
        _server.MapGet("/streamed-big", async (HttpContext c) =>
        {
            for (int i = 0; i < 4; i++)
            {
                await c.Response.Body.WriteAsync(new byte[500]);
                await c.Response.Body.FlushAsync();
            }
        });
        _server.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return Results.Bytes(Image);
        });
        _server.MapGet("/forbidden", () => Results.StatusCode(403));
        _server.MapGet("/broken", () => Results.StatusCode(503));
        _server.MapGet("/redirect-inside", () => Results.Redirect("/image.png"));
        _server.MapGet("/redirect-elsewhere", () => Results.Redirect("http://images.not-allowed.invalid/x.png"));
        _server.MapGet("/redirect-loop", () => Results.Redirect("/redirect-loop"));
        await _server.StartAsync();
        _base = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_loopback_address_is_refused_when_private_networks_are_not_allowed()
    {
        HttpImageSource source = Source(allowPrivate: false);

        var error = await Assert.ThrowsAsync<ImageFetchException>(() => source.FetchAsync(At("/image.png"), CancellationToken.None));

        Assert.Equal(FailureCode.AccessDenied, error.Code);
        Assert.Contains("SSRF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_after_resolution()
    {
        HttpImageSource source = Source(allowPrivate: false);
        var viaName = new HttpLocation(new Uri($"http://localhost:{_base.Port}/image.png"));

        var error = await Assert.ThrowsAsync<ImageFetchException>(() => source.FetchAsync(viaName, CancellationToken.None));

        Assert.Equal(FailureCode.AccessDenied, error.Code);
        Assert.Contains("resolves to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_networks_allowed_the_image_is_downloaded_and_redirects_inside_are_followed()
    {
        HttpImageSource source = Source(allowPrivate: true);

        Assert.Equal(Image, await source.FetchAsync(At("/image.png"), CancellationToken.None));
        Assert.Equal(Image, await source.FetchAsync(At("/redirect-inside"), CancellationToken.None));
    }

    [Fact]
    public async Task A_redirect_to_a_host_off_the_allow_list_is_refused()
    {
        HttpImageSource source = Source(allowPrivate: true);

        var error = await Assert.ThrowsAsync<ImageFetchException>(() => source.FetchAsync(At("/redirect-elsewhere"), CancellationToken.None));

        Assert.Equal(FailureCode.AccessDenied, error.Code);
        Assert.Contains("allow-list", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/declared-big", FailureCode.TooLarge)]
    [InlineData("/streamed-big", FailureCode.TooLarge)]
    [InlineData("/nothing-here", FailureCode.NotFound)]
    [InlineData("/forbidden", FailureCode.AccessDenied)]
    [InlineData("/broken", FailureCode.FetchFailed)]
    [InlineData("/redirect-loop", FailureCode.FetchFailed)]
    [InlineData("/slow", FailureCode.FetchTimeout)]
    public async Task Each_kind_of_bad_download_has_its_code(string path, FailureCode code)
    {
        HttpImageSource source = Source(allowPrivate: true);

        var error = await Assert.ThrowsAsync<ImageFetchException>(() => source.FetchAsync(At(path), CancellationToken.None));

        Assert.Equal(code, error.Code);
    }

    private HttpLocation At(string path) => new(new Uri(_base, path));

    private static HttpImageSource Source(bool allowPrivate)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MetaQap:Sources:AllowedHosts:0"] = "127.0.0.1",
            ["MetaQap:Sources:AllowedHosts:1"] = "localhost",
            ["MetaQap:Sources:AllowPrivateNetworks"] = allowPrivate ? "true" : "false",
            ["MetaQap:Sources:MaxBytes"] = "1000",
            // Generous for a loaded CI machine; /slow stalls for 10 s, well past it.
            ["MetaQap:Sources:HttpTimeout"] = "00:00:05",
        });
        builder.AddMetaQapSources();
        return builder.Build().Services.GetRequiredService<HttpImageSource>();
    }
}
