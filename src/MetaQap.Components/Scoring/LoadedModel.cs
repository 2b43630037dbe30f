using MetaQap.Components.Telemetry;
using MetaQap.Modeling.Scoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Loads the model once, as the first thing the host starts (before the bus takes messages), and holds it until a
/// promoted ensemble replaces it (<see cref="BatchInference.SwapAsync"/>). A model that cannot be loaded stops
/// start-up with <see cref="ModelLoadException"/>'s message.
/// </summary>
public sealed class LoadedModel(IQualityScorerFactory factory, IOptions<ModelOptions> options, WorkerMetrics metrics,
    ILogger<LoadedModel> logger) : IHostedService, IHealthCheck, IDisposable
{
    private IQualityScorer? _scorer;

    public IQualityScorer Scorer => Volatile.Read(ref _scorer) ?? throw new InvalidOperationException("The model is not loaded yet.");

    /// <summary>Holds <paramref name="next"/> from now on and returns the model it replaced (the caller disposes it).</summary>
    internal IQualityScorer Replace(IQualityScorer next)
    {
        IQualityScorer previous = Interlocked.Exchange(ref _scorer, next) ?? throw new InvalidOperationException("The model is not loaded yet.");
        metrics.ModelSwitched(previous.ModelVersion, next.ModelVersion);
        return previous;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _scorer = factory.Create(options.Value);
        }
        catch (ModelLoadException e)
        {
            logger.LogCritical("Cannot start: {Reason}", e.Message);
            throw;
        }

        metrics.ModelLoaded(_scorer.ModelVersion);
        logger.LogInformation("Loaded model {ModelVersion} from {Path}", _scorer.ModelVersion, options.Value.Path);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_scorer is null
            ? HealthCheckResult.Unhealthy("The model is not loaded.")
            : HealthCheckResult.Healthy($"Model {_scorer.ModelVersion} loaded."));

    public void Dispose() => (_scorer as IDisposable)?.Dispose();
}
