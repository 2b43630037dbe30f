using Microsoft.Extensions.Options;

namespace MetaQap.Worker;

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

    /// <summary>The configured roles; a worker with none fails its build, with the setting to change.</summary>
    public static WorkerRoles Required(IConfiguration configuration)
    {
        WorkerRoles roles = configuration.GetSection(SectionName).Get<WorkerRoles>() ?? new WorkerRoles();
        return roles.Scoring || roles.Training
            ? roles
            : throw new OptionsValidationException(SectionName, typeof(WorkerRoles),
                [$"{SectionName}: Scoring and Training are both off; this worker would do nothing."]);
    }
}
