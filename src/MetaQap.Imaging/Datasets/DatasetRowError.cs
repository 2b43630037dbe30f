namespace MetaQap.Imaging.Datasets;

/// <summary>A problem with one line of a manifest.</summary>
/// <param name="LineNumber">1-based line in the file; the header is line 1.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record DatasetRowError(int LineNumber, string Message)
{
    public override string ToString() => $"line {LineNumber}: {Message}";
}
