using Dapper;
using MetaQap.Components.Jobs;
using MetaQap.Components.Registry;
using MetaQap.Components.Training;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MetaQap.Worker.Tests.Cli;

/// <summary>
/// `runs` and `models` read back what the registries stored in the real PostgreSQL. Each test writes its own rows
/// through <see cref="TrainingRegistry"/> and <see cref="ModelRegistry"/>, and deletes them (and restores the
/// active ensemble) afterwards, so workers following the registry in later tests see it as it was.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RunsAndModelsCommandTests : IAsyncLifetime
{
    private const string Owner = "cli-test";
    private readonly List<Guid> _runs = [];
    private IHost? _host;
    private NpgsqlDataSource _dataSource = null!;
    private Guid? _previouslyActive;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is null)
        {
            return;
        }

        await using (NpgsqlConnection connection = await _dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM ensembles WHERE id = ANY(@Ids)", new { Ids = _runs.ToArray() });
            await connection.ExecuteAsync("DELETE FROM model_artifacts WHERE id = ANY(@Ids)", new { Ids = _runs.ToArray() });
            await connection.ExecuteAsync("DELETE FROM training_runs WHERE id = ANY(@Ids)", new { Ids = _runs.ToArray() });
        }

        if (_previouslyActive is { } previous)
        {
            await new ModelRegistry(_dataSource).PromoteAsync(previous, CancellationToken.None);
        }

        await _host.StopAsync();
        _host.Dispose();
    }

    [SkippableFact]
    public async Task Runs_lists_the_newest_runs_with_their_state_and_shows_one_in_detail()
    {
        await StartAsync();
        var runs = new TrainingRegistry(_dataSource);
        Guid failed = await CreateAsync(TrainingKind.Train, """{"runId":"x","architecture":"resnet10_w32","data":{"folder":"/data/none"}}""");
        await runs.FailAsync(failed, null, TrainingFailureCode.DataNotFound, "Data.Folder /data/none does not exist.", CancellationToken.None);
        Guid running = await CreateAsync(TrainingKind.Pretrain, """{"architecture":"mobilenet_v3_small","hyperparameters":{"epochs":4}}""");
        await ClaimAsync(running, attempts: 2);
        await runs.ReportProgressAsync(running, Owner, new RunProgress(3, 4, 7, 10, 0.675, 0.25, 0.8125, 0.75), CancellationToken.None);
        Guid queued = await CreateAsync(TrainingKind.FitMeta, """{"baseModels":[]}""");

        (int code, string output, string error) = await TrainingCli.RunAsync("runs", "--limit", "3");

        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal(["ID", "KIND", "STATUS", "PROGRESS", "EPOCH", "VAL", "SROCC", "ATTEMPTS", "CREATED", "UPDATED", "FAILURE"], Words(lines[0]));
        // Newest first; times are the last columns before the failure code.
        Assert.Equal([queued.ToString(), "FitMeta", "Queued", "0.0", "%", "-", "-", "0"], Words(lines[1])[..8]);
        Assert.Equal([running.ToString(), "Pretrain", "Running", "67.5", "%", "3/4", "0.8125", "2"], Words(lines[2])[..8]);
        Assert.Equal([failed.ToString(), "Train", "Failed", "0.0", "%", "-", "-", "0"], Words(lines[3])[..8]);
        Assert.Equal("DataNotFound", Words(lines[3])[^1]);
        Assert.Equal("-", Words(lines[2])[^1]);

        (code, output, error) = await TrainingCli.RunAsync("runs", running.ToString());

        Assert.True(code == 0, error);
        Assert.Contains($"Run {running}: Running (Pretrain)", output, StringComparison.Ordinal);
        Assert.Contains("progress: 67.5 %, epoch 3/4, step 7/10, loss 0.2500", output, StringComparison.Ordinal);
        Assert.Contains("validation: SROCC 0.8125, PLCC 0.7500", output, StringComparison.Ordinal);
        Assert.Contains($"attempts: 2 (resumed after an interruption); worker: {Owner}", output, StringComparison.Ordinal);
        Assert.Contains("\n        \"epochs\": 4\n", output, StringComparison.Ordinal);

        (code, output, _) = await TrainingCli.RunAsync("runs", failed.ToString());

        Assert.Equal(0, code);
        Assert.Contains("failure: DataNotFound: Data.Folder /data/none does not exist.", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Runs_of_an_unknown_id_says_so_and_fails()
    {
        await StartAsync();
        var id = Guid.NewGuid();

        (int code, _, string error) = await TrainingCli.RunAsync("runs", id.ToString());

        Assert.Equal(1, code);
        Assert.Equal($"No run {id}.\n", error);
    }

    [SkippableFact]
    public async Task Models_lists_base_models_and_ensembles_and_marks_the_active_one()
    {
        await StartAsync();
        var models = new ModelRegistry(_dataSource);
        _previouslyActive = (await models.GetActiveEnsembleAsync(CancellationToken.None))?.Id;
        Guid pretrained = await CompleteArtifactAsync(ModelArtifactRecord.Pretrained, "mobilenet_v3_small", 224, new() { ["val_srocc"] = 0.5 });
        Guid fineTuned = await CompleteArtifactAsync(ModelArtifactRecord.FineTuned, "resnet10_w32", 192, new() { ["val_srocc"] = 0.875, ["best_epoch"] = 4 });
        Guid inactive = await CompleteEnsembleAsync([pretrained], "mean", new() { ["srocc"] = 0.5 });
        Guid active = await CompleteEnsembleAsync([pretrained, fineTuned], "stepwise", new() { ["srocc"] = 0.9, ["n"] = 40 });
        await models.PromoteAsync(active, CancellationToken.None);

        (int code, string output, string error) = await TrainingCli.RunAsync("models", "--limit", "2");

        Assert.True(code == 0, error);
        string[] lines = output.Split('\n');
        Assert.Equal("Base models", lines[0]);
        Assert.Equal(["ID", "KIND", "ARCH", "SIZE", "SHA256", "VAL", "SROCC", "CREATED"], Words(lines[1]));
        Assert.Equal([fineTuned.ToString(), "FineTuned", "resnet10_w32", "192", Sha(fineTuned)[..12], "0.8750"], Words(lines[2])[..6]);
        Assert.Equal([pretrained.ToString(), "Pretrained", "mobilenet_v3_small", "224", Sha(pretrained)[..12], "0.5000"], Words(lines[3])[..6]);
        int ensembles = Array.IndexOf(lines, "Ensembles");
        Assert.Equal(["ID", "VERSION", "METHOD", "BASE", "MODELS", "METRICS", "CREATED", "PROMOTED"], Words(lines[ensembles + 1]));
        Assert.Equal(["*", active.ToString(), $"v-{active:N}", "stepwise", $"{pretrained},{fineTuned}", "n=40", "srocc=0.9000"], Words(lines[ensembles + 2])[..7]);
        Assert.Equal([inactive.ToString(), $"v-{inactive:N}", "mean", $"{pretrained}", "srocc=0.5000"], Words(lines[ensembles + 3])[..5]);
        Assert.Equal("-", Words(lines[ensembles + 3])[^1]);
        Assert.DoesNotContain("No ensemble is active", output, StringComparison.Ordinal);
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Sha(Guid id) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(id.ToByteArray()));

    private async Task<Guid> CreateAsync(TrainingKind kind, string request)
    {
        var id = Guid.NewGuid();
        _runs.Add(id);
        Assert.True(await new TrainingRegistry(_dataSource).CreateAsync(id, kind, request, CancellationToken.None));
        return id;
    }

    /// <summary>
    /// What a worker's claim does to this one run. TrainingRegistry.ClaimNextAsync takes the oldest claimable run of
    /// the whole table, which in a shared database need not be this test's.
    /// </summary>
    private async Task ClaimAsync(Guid id, int attempts)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteAsync("""
            UPDATE training_runs SET status = 'Running', owner = @Owner, lease_expires_at = now() + interval '1 hour',
                attempts = @Attempts, started_at = now(), updated_at = now()
            WHERE id = @Id AND status = 'Queued'
            """, new { Id = id, Owner, Attempts = attempts }));
    }

    private async Task<Guid> CompleteArtifactAsync(string kind, string architecture, int inputSize, Dictionary<string, double> metrics)
    {
        Guid id = await CreateAsync(kind == ModelArtifactRecord.Pretrained ? TrainingKind.Pretrain : TrainingKind.Train, "{}");
        await ClaimAsync(id, attempts: 1);
        Assert.True(await new TrainingRegistry(_dataSource).CompleteWithArtifactAsync(Owner, new ModelArtifactRecord
        {
            Id = id, Kind = kind, Architecture = architecture, InputSize = inputSize, Path = $"base/{id:N}/model.safetensors",
            Sha256 = Sha(id), Metrics = metrics, CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None));
        return id;
    }

    private async Task<Guid> CompleteEnsembleAsync(Guid[] baseModels, string method, Dictionary<string, double> metrics)
    {
        Guid id = await CreateAsync(TrainingKind.FitMeta, "{}");
        await ClaimAsync(id, attempts: 1);
        Assert.True(await new TrainingRegistry(_dataSource).CompleteWithEnsembleAsync(Owner, new EnsembleRecord
        {
            Id = id, RunId = id, Version = $"v-{id:N}", Path = $"ensembles/{id:N}", ManifestSha256 = Sha(id), BaseModels = baseModels,
            Method = method, Metrics = metrics, CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None));
        return id;
    }

    /// <summary>The job store's host, for its migrations (the training registry's tables among them) and data source.</summary>
    private async Task StartAsync()
    {
        LocalServices.Require();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("MetaQap:Database:ConnectionString", LocalServices.PostgresConnectionString)]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMetaQapJobStore();
        _host = builder.Build();
        await _host.StartAsync();
        _dataSource = _host.Services.GetRequiredService<NpgsqlDataSource>();
    }
}
