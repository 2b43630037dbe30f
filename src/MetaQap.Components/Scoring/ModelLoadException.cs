namespace MetaQap.Components.Scoring;

/// <summary>The configured model cannot be loaded; the worker does not start.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
        : base("The scoring model could not be loaded.")
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
