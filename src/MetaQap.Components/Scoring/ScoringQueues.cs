namespace MetaQap.Components.Scoring;

/// <summary>The scoring role's queue names (docs/contracts/README.md documents the first two for producers).</summary>
public static class ScoringQueues
{
    /// <summary>MassTransit producers: <c>ScoreImages</c> published with MassTransit's envelope.</summary>
    public const string ScoreImages = "score-images";

    /// <summary>Any producer: a plain JSON <c>ScoreImages</c> body, content type application/json.</summary>
    public const string ScoreImagesJson = "score-images-json";

    /// <summary>Internal per-image work, consumed in micro-batches.</summary>
    public const string ScoreImageItems = "score-image-items";
}
