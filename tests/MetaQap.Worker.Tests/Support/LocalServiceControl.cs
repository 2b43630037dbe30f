using System.Diagnostics;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// Stops and starts the local PostgreSQL or RabbitMQ that deploy/local/up.sh started (deploy/local/service.sh), for
/// the fault tests. Only services of this checkout's own state folder can be controlled; anywhere else (services
/// started some other way) the tests that need it skip.
/// </summary>
internal static class LocalServiceControl
{
    public const string Postgres = "postgres";
    public const string RabbitMq = "rabbitmq";

    private static string? RepoDir => Environment.GetEnvironmentVariable("METAQAP_REPO_DIR");

    private static string? StateDir => Environment.GetEnvironmentVariable("METAQAP_STATE_DIR");

    /// <summary>Skips unless the running services are this checkout's deploy/local ones.</summary>
    public static void Require(string service)
    {
        bool ours = RepoDir is { } repo && File.Exists(Path.Combine(repo, "deploy", "local", "service.sh"))
            && StateDir is { } state && (service == Postgres
                ? File.Exists(Path.Combine(state, "postgres", "data", "PG_VERSION"))
                : File.Exists(Path.Combine(state, "rabbitmq", "rabbitmq.pid")));
        Skip.IfNot(ours, $"{service} was not started by deploy/local/up.sh of this checkout (METAQAP_REPO_DIR / METAQAP_STATE_DIR), so it cannot be stopped and restarted here.");
    }

    public static Task StopAsync(string service) => RunAsync("stop", service);

    public static Task StartAsync(string service) => RunAsync("start", service);

    private static async Task RunAsync(string action, string service)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoDir!, "deploy", "local", "service.sh"), action, service])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"service.sh {action} {service} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
