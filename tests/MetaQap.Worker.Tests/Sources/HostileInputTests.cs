using MetaQap.Components.Sources;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Sources;

/// <summary>
/// Every entry of the hostile-input table through the worker's real sources and decoder (fetch + limits + decode,
/// as a batch loads them): the documented failure code, or pixels that are right. No broker or database needed.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    /// <param name="decodeShorterSide">Null: full-size decode; 384: the scaled decode the worker asks for with models/default.</param>
    [Theory]
    [InlineData(null)]
    [InlineData(384)]
    public async Task Every_hostile_input_gets_its_documented_outcome_from_the_sources(int? decodeShorterSide)
    {
        await using HostileInputs inputs = await HostileInputs.StartAsync();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(inputs.SourceSettings());
        using var logs = new CapturedLogs();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.AddMetaQapSources();
        using IHost host = builder.Build();
        ImageLoader loader = host.Services.GetRequiredService<ImageLoader>();

        LoadedImage[] loaded = await loader.LoadAllAsync(inputs.Cases.Select(c => (c.Reference.Uri, c.Reference.Base64)), decodeShorterSide, CancellationToken.None);

        var wrong = new List<string>();
        for (int i = 0; i < loaded.Length; i++)
        {
            HostileCase c = inputs.Cases[i];
            LoadedImage result = loaded[i];
            string got = result.Failure is { } f ? $"{f.Code}: {f.Detail}" : $"decoded {result.Image!.Width}x{result.Image.Height}";
            output.WriteLine($"{c.Id,-28} {(c.Failure?.ToString() ?? "Scored"),-18} {got}");
            if (result.Failure?.Code != c.Failure)
            {
                wrong.Add($"{c.Id}: expected {c.Failure?.ToString() ?? "an image"}, got {got}");
            }
            else if (result.Image is { } image && c.Pixels?.Invoke(image) is { } problem)
            {
                wrong.Add($"{c.Id}: {problem}");
            }
        }

        // An endless body ends as TooLarge, not FetchTimeout: the download was cut at the cap, not read until the
        // timeout (what the server had written by then is not a measure: Kestrel accepts writes after a disconnect).
        Assert.Empty(wrong);

        // Issue 16: each refusal is one Information line with its code; no stack trace (the HTTP client's own
        // logging is off), no secret of a URL in any line.
        IReadOnlyList<CapturedLogs.Entry> entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Exception is not null || e.Category.StartsWith("System.Net.Http", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains("pw-in-url", StringComparison.Ordinal) || e.Text.Contains("token-in-query", StringComparison.Ordinal));
        var refusals = entries.Where(e => e.Category == typeof(ImageLoader).FullName).ToList();
        Assert.All(refusals, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Equal(inputs.Cases.Count(c => c.Failure is not null), refusals.Count);
        foreach (FailureCode code in inputs.Cases.Where(c => c.Failure is not null).Select(c => c.Failure!.Value).Distinct())
        {
            Assert.Equal(inputs.Cases.Count(c => c.Failure == code), refusals.Count(e => e.Text.StartsWith($"Image not loaded: {code}:", StringComparison.Ordinal)));
        }
    }
}
