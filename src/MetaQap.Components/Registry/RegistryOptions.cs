using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Registry;

/// <summary>The model registry's files (<c>MetaQap:Registry</c>), shared by the training and scoring roles.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "MetaQap:Registry";

    /// <summary>
    /// The model store: a folder every worker of a deployment mounts (a volume). Training writes runs/,
    /// artifacts/ and ensembles/ under it; the registry records paths relative to it. Empty: no training role, and
    /// scoring workers keep the model of <c>MetaQap:Model:Path</c> (promotions are not followed).
    /// </summary>
    public string ModelStore { get; set; } = "";

    /// <summary>
    /// Scoring workers load the active ensemble at start and switch to each newly promoted one without a restart.
    /// </summary>
    public bool FollowActiveEnsemble { get; set; } = true;

    /// <summary>
    /// How often a scoring worker checks the registry for the active ensemble, in case it missed an
    /// <c>EnsemblePromoted</c> event (it was down, or the broker was).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool HasModelStore => !string.IsNullOrWhiteSpace(ModelStore);

    /// <summary>The options as configured, for the registrations that depend on them.</summary>
    public static RegistryOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<RegistryOptions>() ?? new RegistryOptions();
}
