using System.Text.Json;
using System.Text.RegularExpressions;
using MetaQap.Components.Telemetry;
using MetaQap.Worker.Tests.Support;
using Prometheus;
using RabbitMQ.Client;

namespace MetaQap.Worker.Tests.Telemetry;

/// <summary>The Grafana dashboard and the alert rules ask for series that exist, in PromQL that Prometheus accepts.</summary>
[Collection(ServicesCollection.Name)]
public sealed partial class MonitoringConfigTests
{
    private static readonly string Dashboard = Path.Combine(AppContext.BaseDirectory, "deploy", "grafana", "metaqap-worker.json");
    private static readonly string Alerts = Path.Combine(AppContext.BaseDirectory, "deploy", "prometheus", "alerts.yml");

    [Fact]
    public async Task Every_worker_series_the_dashboard_and_alerts_use_is_exported_by_the_worker()
    {
        HashSet<string> exported = await ExportedSeriesAsync();
        string[] used = WorkerSeries().Matches(File.ReadAllText(Dashboard) + File.ReadAllText(Alerts))
            .Select(m => m.Value).Distinct().ToArray();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, exported));
    }

    [Fact]
    public async Task Meters_named_MassTransit_are_exported_into_the_workers_registry_and_others_are_not()
    {
        using var metrics = new WorkerMetrics();
        using var massTransit = new System.Diagnostics.Metrics.Meter("MassTransit.Probe");
        using var other = new System.Diagnostics.Metrics.Meter("Other.Probe");
        massTransit.CreateCounter<long>("messaging.masstransit.probe").Add(3, new KeyValuePair<string, object?>("messaging.masstransit.consumer_type", "X"));
        other.CreateCounter<long>("other.probe").Add(1);

        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        string exported = System.Text.Encoding.UTF8.GetString(text.ToArray());

        Assert.Contains("masstransit_probe_messaging_masstransit_probe{messaging_masstransit_consumer_type=\"X\"} 3", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("other_probe", exported, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Prometheus_accepts_every_dashboard_query_and_rabbitmq_exports_the_queue_series()
    {
        LocalServices.Require(prometheus: true);
        using var http = new HttpClient { BaseAddress = new Uri(LocalServices.PrometheusUrl!) };
        foreach (string expr in DashboardQueries())
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(expr)}", UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, $"{expr}: {await response.Content.ReadAsStringAsync()}");
        }

        // The queue-depth series come from RabbitMQ's exporter with per-object metrics on (deploy/local/rabbitmq.sh);
        // a queue of the test's own makes sure there is a queue to report, whatever ran before.
        var factory = new ConnectionFactory { Uri = new Uri(LocalServices.RabbitMqUri!) };
        await using IConnection connection = await factory.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        string[] names = [];
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !names.Contains("rabbitmq_queue_messages_unacked"); await Task.Delay(500))
        {
            using JsonDocument series = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/label/__name__/values", UriKind.Relative)));
            names = series.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToArray();
        }

        Assert.Contains("rabbitmq_queue_messages_ready", names);
        Assert.Contains("rabbitmq_queue_messages_unacked", names);
    }

    private static IEnumerable<string> DashboardQueries()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    /// <summary>The series names a worker exports once each metric has a sample.</summary>
    private static async Task<HashSet<string>> ExportedSeriesAsync()
    {
        using var metrics = new WorkerMetrics();
        metrics.Scored(1);
        metrics.Failed("NotFound");
        metrics.BatchTaken(4);
        metrics.BatchDone(4);
        metrics.ObserveStage(WorkerMetrics.Stages.Infer, TimeSpan.FromMilliseconds(5));
        metrics.ObserveLatency(TimeSpan.FromSeconds(1));
        metrics.ModelLoaded("v1");
        metrics.TrackPoisonQueue("score-images");
        var training = new MetaQap.Components.Training.TrainingMetrics(metrics);
        training.SetRunCounts(new Dictionary<MetaQap.Components.Training.TrainingRunStatus, int> { [MetaQap.Components.Training.TrainingRunStatus.Running] = 1 });
        training.Progress(Guid.NewGuid(), 0.5);
        training.StepTook(TimeSpan.FromSeconds(0.2));
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray())
            .Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('{', ' ')[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"metaqap_[a-z_]+")]
    private static partial Regex WorkerSeries();
}
