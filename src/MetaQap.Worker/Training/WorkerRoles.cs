namespace MetaQap.Worker.Training;

/// <summary>
/// Which roles this worker process plays (DESIGN.md §1): one binary, so a GPU box can train while CPU boxes score.
/// Bound from <c>MetaQap:Roles</c>; at least one must be on.
/// </summary>
public sealed class WorkerRoles
{
    public const string SectionName = "MetaQap:Roles";

    /// <summary>Consume <c>ScoreImages</c> and score with the loaded (or promoted) ensemble.</summary>
    public bool Scoring { get; set; } = true;

    /// <summary>Consume the training commands and run one training at a time in the background.</summary>
    public bool Training { get; set; }

    public static WorkerRoles From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<WorkerRoles>() ?? new WorkerRoles();
}
