namespace MetaQap.Modeling.Recipes;

/// <summary>One base CNN of a recipe.</summary>
public sealed record BaseModelRecipe
{
    /// <summary>Name in the ensemble and in the work folders; letters, digits, '.', '_', '-'.</summary>
    public required string Name { get; init; }

    /// <summary>Backbone factory name (see <c>BackboneFactory.Architectures</c>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Side of the square network input; pretraining samples are made at this size.</summary>
    public required int InputSize { get; init; }

    /// <summary>Seed of the model's initialisation, shuffles, augmentation and dropout.</summary>
    public required int Seed { get; init; }
}
