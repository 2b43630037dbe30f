using System.Text.Json;
using MetaQap.Components.Scoring;
using MetaQap.Contracts;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Faults;
using MetaQap.Worker.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Security;

/// <summary>
/// The real worker binary's whole console output, at Debug level, never holds a password: not the broker's or the
/// database's (from a working run, and from runs that fail to log in with a wrong one), not credentials or signed
/// query strings inside image URLs.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class LogSecretsTests(ITestOutputHelper output)
{
    private const string UrlPassword = "pw-in-url-7f3a";
    private const string UrlToken = "token-in-query-91c2";
    private const string FtpPassword = "ftp-secret-5d0e";

    [SkippableFact]
    public async Task The_worker_log_holds_no_password_from_its_settings_or_from_image_urls()
    {
        LocalServices.Require();
        await RawAmqp.PurgeAsync(ScoringQueues.ScoreImages, ScoringQueues.ScoreImagesJson, ScoringQueues.ScoreImageItems);
        using var root = new TempFolder();
        using var ensemble = new TinyEnsemble();
        var job = new FaultJob(root, images: 4);
        string databasePassword = new NpgsqlConnectionStringBuilder(LocalServices.PostgresConnectionString).Password!;
        string brokerPassword = Uri.UnescapeDataString(new Uri(LocalServices.RabbitMqUri!).UserInfo.Split(':', 2)[1]);
        Dictionary<string, string?> settings = Verbose(WorkerKillTests.ProcessSettings(root.Path, ensemble.Directory, maxBatchSize: 8));
        await using EventRecorder events = await EventRecorder.StartAsync();

        // A working run with a job whose references carry credentials.
        string working;
        await using (WorkerProcess worker = await WorkerProcess.StartAsync(settings))
        {
            ImageReference[] images =
            [
                .. job.References,
                new() { Id = "url-with-credentials", Uri = $"http://user:{UrlPassword}@127.0.0.2:9/x.png?sig={UrlToken}" },
                new() { Id = "ftp-with-credentials", Uri = $"ftp://user:{FtpPassword}@example.com/x.png" },
            ];
            await RawAmqp.PublishJsonAsync(JsonSerializer.Serialize(new ScoreImages { JobId = job.JobId, Images = images }, JsonSerializerOptions.Web));
            await events.WaitForCompletionAsync(job.JobId, TimeSpan.FromSeconds(60));
            await worker.StopAsync();
            working = worker.Output;
        }

        // Runs that cannot log in: what they report about the failure must not repeat what they tried.
        string wrongDatabasePassword = $"wrong-db-password-{Guid.NewGuid():N}";
        Dictionary<string, string?> badDatabase = new(settings)
        {
            ["MetaQap:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(LocalServices.PostgresConnectionString) { Password = wrongDatabasePassword }.ConnectionString,
        };
        string wrongBrokerPassword = $"wrong-amqp-password-{Guid.NewGuid():N}";
        var brokerUri = new UriBuilder(LocalServices.RabbitMqUri!) { Password = wrongBrokerPassword };
        Dictionary<string, string?> badBroker = new(settings)
        {
            ["MetaQap:RabbitMq:Uri"] = brokerUri.Uri.AbsoluteUri,
            ["MetaQap:RabbitMq:StartTimeout"] = "00:00:05",
        };
        (string databaseRun, int databaseExit) = await RunUntilExitAsync(badDatabase);
        (string brokerRun, int brokerExit) = await RunUntilExitAsync(badBroker);

        output.WriteLine($"output: working run {working.Length} chars, wrong database password {databaseRun.Length} chars (exit {databaseExit}), wrong broker password {brokerRun.Length} chars (exit {brokerExit})");
        output.WriteLine($"wrong database password: {StartLine(databaseRun)}");
        output.WriteLine($"wrong broker password: {StartLine(brokerRun)}");
        // The runs did what they were meant to, so their logs are worth searching.
        Assert.Contains($"Job {job.JobId} completed", working, StringComparison.Ordinal);
        // Refused logins end start-up with exit code 1 and a sentence, not a crash.
        Assert.Equal((1, 1), (databaseExit, brokerExit));
        Assert.Contains("metaqap-worker: cannot start:", databaseRun, StringComparison.Ordinal);
        Assert.Contains("metaqap-worker: cannot start:", brokerRun, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", databaseRun, StringComparison.Ordinal);
        Assert.Contains("ACCESS_REFUSED", brokerRun, StringComparison.Ordinal);
        string all = working + databaseRun + brokerRun;
        foreach (string secret in new[] { databasePassword, brokerPassword, wrongDatabasePassword, wrongBrokerPassword, UrlPassword, UrlToken, FtpPassword })
        {
            Assert.False(all.Contains(secret, StringComparison.Ordinal), $"The worker's output contains a secret ({secret[..4]}…).");
        }
    }

    /// <summary>Everything at Debug: the most a worker would ever write.</summary>
    private static Dictionary<string, string?> Verbose(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Logging:LogLevel:Microsoft"] = "Debug";
        settings["Logging:LogLevel:MassTransit"] = "Debug";
        settings["Logging:LogLevel:Npgsql"] = "Debug";
        return settings;
    }

    private static async Task<(string Output, int ExitCode)> RunUntilExitAsync(Dictionary<string, string?> settings)
    {
        await using WorkerProcess worker = await WorkerProcess.StartAsync(settings, waitUntilReady: false);
        // Waiting for the end of its output too: polling HasExited once read the log without its last line.
        bool exited = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exited, $"The worker kept running with a wrong password:\n{Tail(worker.Output)}");
        return (worker.Output, worker.ExitCode);
    }

    private static string StartLine(string text) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith("metaqap-worker: cannot start", StringComparison.Ordinal)) ?? "(no start failure line)";

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(3));
}
