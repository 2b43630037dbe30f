using System.Net.Sockets;
using Npgsql;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// The real RabbitMQ, PostgreSQL and Prometheus the integration tests use, found through the environment that
/// deploy/local/env.sh exports (./scripts/test.sh sources it and starts the services). On CI (CI=true) a missing
/// or unreachable service fails the test; on a developer machine it skips with a message saying how to start them.
/// </summary>
internal static class LocalServices
{
    public static string? RabbitMqUri => Environment.GetEnvironmentVariable("MetaQap__RabbitMq__Uri");

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("MetaQap__Database__ConnectionString");

    public static string? PrometheusUrl => Environment.GetEnvironmentVariable("METAQAP_PROMETHEUS_URL");

    /// <summary>The port the local Prometheus scrapes for the worker (deploy/local/env.sh).</summary>
    public static int MetricsPort =>
        int.TryParse(Environment.GetEnvironmentVariable("MetaQap__Telemetry__Port"), out int port) ? port : 9464;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (locally) or fails (CI) unless RabbitMQ and PostgreSQL, and Prometheus if asked, answer.</summary>
    public static void Require(bool prometheus = false)
    {
        var missing = new List<string>();
        if (RabbitMqUri is not { } rabbit)
        {
            missing.Add("MetaQap__RabbitMq__Uri is not set");
        }
        else if (!Answers(new Uri(rabbit).Host, new Uri(rabbit).Port is > 0 and var p ? p : 5672))
        {
            missing.Add($"RabbitMQ does not answer at {new Uri(rabbit).Host}:{new Uri(rabbit).Port}");
        }

        if (PostgresConnectionString is not { } postgres)
        {
            missing.Add("MetaQap__Database__ConnectionString is not set");
        }
        else
        {
            var csb = new NpgsqlConnectionStringBuilder(postgres);
            if (!Answers(csb.Host ?? "127.0.0.1", csb.Port))
            {
                missing.Add($"PostgreSQL does not answer at {csb.Host}:{csb.Port}");
            }
        }

        if (prometheus)
        {
            if (PrometheusUrl is not { } url)
            {
                missing.Add("METAQAP_PROMETHEUS_URL is not set");
            }
            else if (!Answers(new Uri(url).Host, new Uri(url).Port))
            {
                missing.Add($"Prometheus does not answer at {url}");
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        string message = $"Local services missing: {string.Join("; ", missing)}. Run ./scripts/test.sh, or "
            + "deploy/local/up.sh and `source deploy/local/env.sh` before dotnet test.";
        if (OnCi)
        {
            throw new InvalidOperationException(message);
        }

        Skip.If(true, message);
    }

    private static bool Answers(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
