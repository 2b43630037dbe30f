namespace MetaQap.Components.Sources;

public static class SourcesExtensions
{
    /// <summary>Image sources (files, http(s), inline) with their limits, and the bounded fetch + decode stage.</summary>
    public static IHostApplicationBuilder AddMetaQapSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SourceOptions>()
            .BindConfiguration(SourceOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.FileRoots.All(Directory.Exists),
                $"Every {SourceOptions.SectionName}:FileRoots entry must be an existing folder.")
            .Validate(o => o.HasValidNetworks(), $"Every {SourceOptions.SectionName}:AllowedNetworks entry must be a CIDR range (10.20.0.0/16).")
            .ValidateOnStart();

        builder.Services.AddHttpClient(HttpImageSource.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                SourceOptions options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SourceOptions>>().Value;
                var policy = new ConnectPolicy(options.AllowPrivateNetworks, options.ParsedNetworks());
                return new SocketsHttpHandler
                {
                    // Redirects are followed by HttpImageSource so that each hop passes the allow-list again.
                    AllowAutoRedirect = false,
                    // A proxy would make ConnectAsync check the proxy's address instead of the image host's.
                    UseProxy = false,
                    ConnectCallback = (context, ct) => HttpImageSource.ConnectAsync(context, policy, ct),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            })
            // The factory's logging handlers write every request's full URL (a signed URL's query string included)
            // and an exception with its stack trace for each refused connection; ImageLoader logs one line per
            // failed image instead, with its code and the redacted detail.
            .RemoveAllLoggers();

        builder.Services.AddSingleton<FileImageSource>();
        builder.Services.AddSingleton<HttpImageSource>();
        builder.Services.AddSingleton<InlineImageSource>();
        builder.Services.AddSingleton<ImageLoader>();
        return builder;
    }
}
