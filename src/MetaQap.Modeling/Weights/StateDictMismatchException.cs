namespace MetaQap.Modeling.Weights;

/// <summary>A weights file does not fit a module: the offending keys are kept for callers that want to react.</summary>
public sealed class StateDictMismatchException : Exception
{
    public StateDictMismatchException(string message, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(message)
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    public IReadOnlyList<string> MissingKeys { get; }

    public IReadOnlyList<string> UnexpectedKeys { get; }

    public IReadOnlyList<string> ShapeMismatches { get; }
}
