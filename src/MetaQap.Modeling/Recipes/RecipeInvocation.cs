namespace MetaQap.Modeling.Recipes;

/// <summary>How a run was started, for the ensemble's provenance and the reports.</summary>
/// <param name="Command">The exact command line, e.g. "metaqap recipe default --out models/default".</param>
/// <param name="GitCommit">Commit of the code (<c>git rev-parse HEAD</c>), or "unknown".</param>
public sealed record RecipeInvocation(string Command, string GitCommit);
