namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A recipe cannot run as asked: an invalid config, an output folder made with another config, unusable inputs.
/// The message says what is wrong and what to do; nothing has been trained when it is thrown.
/// </summary>
public sealed class RecipeException : Exception
{
    public RecipeException(string message)
        : base(message)
    {
    }

    public RecipeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RecipeException()
    {
    }
}
