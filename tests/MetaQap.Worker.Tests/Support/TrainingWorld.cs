using System.Globalization;
using MetaQap.Components.Registry;
using MetaQap.Components.Training;
using MetaQap.Contracts;
using MetaQap.Testing;
using Npgsql;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// What a training test needs: a model store, a data root holding a tiny MOS dataset (8 dead-leaves scenes × 5 blur
/// levels at 64 px, MOS falling with blur), worker settings for both roles with short leases and intervals, and tiny
/// commands (resnet10_w32 at 32 px, a few steps) that train in seconds on two cores.
/// </summary>
internal sealed class TrainingWorld : IDisposable
{
    private readonly TempFolder _root = new();

    public TrainingWorld()
    {
        Directory.CreateDirectory(Store);
        TinyRuns.BlurMosFolder(Dataset, contents: 8, size: 64);
    }

    public string Store => _root.Combine("store");

    public string DataRoot => _root.Combine("data");

    public string Dataset => _root.Combine("data", "blur");

    /// <summary>The scoring file root (a folder of its own, so a <see cref="FaultJob"/> can fill it).</summary>
    public TempFolder ImageRoot { get; } = new();

    public string Images => ImageRoot.Path;

    public string Combine(params string[] parts) => _root.Combine(parts);

    public Dictionary<string, string?> Settings(bool scoring = true, bool training = true, string? initialModel = null)
    {
        Dictionary<string, string?> settings = WorkerHost.Settings(Images);
        settings["MetaQap:Roles:Scoring"] = Bool(scoring);
        settings["MetaQap:Roles:Training"] = Bool(training);
        settings["MetaQap:Registry:ModelStore"] = Store;
        // Long: the tests check that promotions arrive by event, not by the safety poll.
        settings["MetaQap:Registry:PollInterval"] = "00:10:00";
        settings["MetaQap:Training:DataRoots:0"] = DataRoot;
        settings["MetaQap:Training:LeaseDuration"] = "00:00:04";
        settings["MetaQap:Training:LeaseRenewal"] = "00:00:00.500";
        settings["MetaQap:Training:ProgressInterval"] = "00:00:00.200";
        settings["MetaQap:Training:PollInterval"] = "00:00:01";
        settings["MetaQap:Training:Threads"] = "2";
        settings["MetaQap:Training:ImageCacheMb"] = "64";
        if (initialModel is not null)
        {
            settings["MetaQap:Model:Path"] = initialModel;
            settings["MetaQap:Model:Threads"] = "1";
        }

        return settings;
    }

    public static TrainingHyperparameters Tiny(int epochs = 2, int steps = 3) => new()
    {
        Epochs = epochs,
        StepsPerEpoch = steps,
        BatchSize = 4,
        ValidationSamples = 8,
        Patience = 0,
        Seed = 1,
        LearningRate = 1e-3,
    };

    public static PretrainBaseModel Pretrain(Guid runId, int epochs = 2, int steps = 3) => new()
    {
        RunId = runId,
        Architecture = "resnet10_w32",
        InputSize = 32,
        Data = new TrainingDataSource { SyntheticContents = 4 },
        Hyperparameters = Tiny(epochs, steps),
    };

    public TrainBaseModel Train(Guid runId, Guid? initial = null) => new()
    {
        RunId = runId,
        Architecture = "resnet10_w32",
        InputSize = 32,
        Data = new TrainingDataSource { Folder = Dataset },
        InitialArtifactId = initial,
        Fold = "1/2",
        Hyperparameters = Tiny(),
    };

    /// <summary>
    /// A clean registry for the test that starts now: no ensemble active and no run open. The registry is shared by every
    /// test of the run, and a training worker claims the oldest open run, so a run left open by an earlier test (one
    /// that failed, or killed its worker) would otherwise be trained first; a worker following the registry would
    /// start on whatever an earlier test promoted.
    /// </summary>
    public static async Task ResetRegistryAsync()
    {
        // A training command another test published with no training worker running (the CLI tests do) would
        // otherwise be the first thing the next training worker trains, in place of the test's own run.
        await RawAmqp.PurgeAsync(TrainingQueues.TrainingCommands, TrainingQueues.CancelTrainingRun, RegistryQueues.PromoteEnsemble);
        await using var connection = new NpgsqlConnection(LocalServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            UPDATE ensembles SET active = false WHERE active;
            UPDATE training_runs
            SET status = 'Cancelled', failure_code = 'Cancelled', failure_message = 'Closed by the test suite.', owner = NULL,
                lease_expires_at = NULL, finished_at = now(), updated_at = now(), outcome_published_at = now()
            WHERE status IN ('Queued', 'Running');
            -- Outcomes earlier tests left unpublished would be republished by every worker that starts.
            UPDATE training_runs SET outcome_published_at = now() WHERE outcome_published_at IS NULL;
            """, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not migrated yet: nothing can be active or open.
        }
    }

    public void Dispose()
    {
        ImageRoot.Dispose();
        _root.Dispose();
    }

    private static string Bool(bool value) => value.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
}
