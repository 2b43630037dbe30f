namespace MetaQap.Modeling.Recipes;

/// <summary>Optional photos added to the synthetic pristine content of pretraining.</summary>
/// <param name="PhotosFolder">Folder of photos the project may use (searched recursively); null: synthetic content only.</param>
/// <param name="Exclude">File names or glob patterns left out of the folder (e.g. a licence is unknown).</param>
public sealed record PristineInputs(string? PhotosFolder, IReadOnlyList<string> Exclude)
{
    public static PristineInputs None { get; } = new(null, []);
}
