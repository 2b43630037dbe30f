using MetaQap.Components.Registry;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Scoring;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Keeps a scoring worker on the registry's active ensemble: once at start (before the bus takes messages, so no image
/// is scored by a stale model after a restart), whenever an <c>EnsemblePromoted</c> event arrives, and every
/// <see cref="RegistryOptions.PollInterval"/> in case an event was missed. The new ensemble is loaded beside the old one
/// and swapped in between two batches; an ensemble that fails to load is logged once and the current model stays.
/// </summary>
public sealed class ActiveEnsembleFollower(ModelRegistry models, ModelStore store, IQualityScorerFactory factory, IOptions<ModelOptions> modelOptions,
    IOptions<RegistryOptions> registryOptions, BatchInference inference, ILogger<ActiveEnsembleFollower> logger) : BackgroundService
{
    private readonly SemaphoreSlim _check = new(0, 1);
    private readonly SemaphoreSlim _sync = new(1, 1);
    private Guid? _current;
    private Guid? _refused;

    /// <summary>Look at the registry now (an <c>EnsemblePromoted</c> arrived).</summary>
    public void Check()
    {
        try
        {
            _check.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already pending.
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _check.Dispose();
        _sync.Dispose();
        base.Dispose();
    }

    /// <summary>Switches to the active ensemble if it is not the one loaded. Returns true when it switched.</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            EnsembleRecord? active = await models.GetActiveEnsembleAsync(cancellationToken);
            if (active is null || active.Id == _current || active.Id == _refused)
            {
                return false;
            }

            IQualityScorer next;
            try
            {
                next = await Task.Run(() => Load(active), cancellationToken);
            }
            catch (ModelLoadException e)
            {
                _refused = active.Id;
                logger.LogError("Active ensemble {EnsembleId} ({Version}) not loaded; still scoring with the current model: {Reason}",
                    active.Id, active.Version, e.Message);
                return false;
            }

            string previous = await inference.SwapAsync(next, cancellationToken);
            _current = active.Id;
            logger.LogInformation("Switched from model {Previous} to ensemble {EnsembleId} ({Version})", previous, active.Id, active.Version);
            return true;
        }
        finally
        {
            _sync.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _check.WaitAsync(registryOptions.Value.PollInterval, stoppingToken);
                await SyncAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: the current model keeps scoring; try again at the next poll.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning("Cannot check the active ensemble: {Reason}", e.Message);
            }
        }
    }

    private IQualityScorer Load(EnsembleRecord active)
    {
        string folder;
        try
        {
            folder = store.Resolve(active.Path);
            string manifest = Path.Combine(folder, EnsembleArtifact.ManifestFileName);
            if (!File.Exists(manifest) || ModelStore.Sha256(manifest) != active.ManifestSha256)
            {
                throw new ModelLoadException($"{active.Path}/manifest.json is missing or does not match its registered SHA-256.");
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(e.Message, e);
        }

        ModelOptions configured = modelOptions.Value;
        return factory.Create(new ModelOptions { Path = folder, Device = configured.Device, Threads = configured.Threads });
    }
}
