namespace MetaQap.Components.Registry;

/// <summary>The registry's queue (docs/training.md): served by every worker that has a model store.</summary>
public static class RegistryQueues
{
    /// <summary>PromoteEnsemble: makes a registered ensemble the active one and announces it.</summary>
    public const string PromoteEnsemble = "promote-ensemble";
}
