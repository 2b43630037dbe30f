namespace MetaQap.Components.Registry;

/// <summary>The SQL of <see cref="ModelRegistry"/>; values are always parameters.</summary>
internal static class RegistrySql
{
    public const string ArtifactColumns = """
        id AS Id, kind AS Kind, architecture AS Architecture, input_size AS InputSize, path AS Path, sha256 AS Sha256,
        metrics::text AS Metrics, provenance::text AS Provenance, created_at AS CreatedAt
        """;

    public const string InsertArtifact = """
        INSERT INTO model_artifacts (id, kind, architecture, input_size, path, sha256, metrics, provenance)
        VALUES (@Id, @Kind, @Architecture, @InputSize, @Path, @Sha256, @Metrics::jsonb, @Provenance::jsonb)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string GetArtifact = "SELECT " + ArtifactColumns + " FROM model_artifacts WHERE id = @Id";

    public const string ListArtifacts = "SELECT " + ArtifactColumns + " FROM model_artifacts ORDER BY created_at DESC LIMIT @Limit";

    public const string EnsembleColumns = """
        id AS Id, run_id AS RunId, version AS Version, path AS Path, manifest_sha256 AS ManifestSha256,
        base_models AS BaseModels, method AS Method, metrics::text AS Metrics, created_at AS CreatedAt, active AS Active,
        promoted_at AS PromotedAt
        """;

    public const string InsertEnsemble = """
        INSERT INTO ensembles (id, run_id, version, path, manifest_sha256, base_models, method, metrics)
        VALUES (@Id, @RunId, @Version, @Path, @ManifestSha256, @BaseModels, @Method, @Metrics::jsonb)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string GetEnsembleForUpdate = "SELECT " + EnsembleColumns + " FROM ensembles WHERE id = @Id FOR UPDATE";

    public const string GetEnsemble = "SELECT " + EnsembleColumns + " FROM ensembles WHERE id = @Id";

    public const string GetActiveEnsemble = "SELECT " + EnsembleColumns + " FROM ensembles WHERE active";

    public const string VersionTaken = "SELECT count(*)::int FROM ensembles WHERE version = @Version AND id <> @Id";

    public const string ListEnsembles = "SELECT " + EnsembleColumns + " FROM ensembles ORDER BY created_at DESC LIMIT @Limit";

    // Clearing first: the unique partial index allows one active row at any moment inside the transaction too.
    public const string Deactivate = "UPDATE ensembles SET active = false WHERE active AND id <> @Id RETURNING id";

    public const string Activate = "UPDATE ensembles SET active = true, promoted_at = now() WHERE id = @Id AND NOT active";
}
