namespace MetaQap.Imaging.Datasets;

/// <summary>One CSV record: its fields and the 1-based line it starts on.</summary>
/// <param name="LineNumber">The physical line the record starts on (a quoted field may span lines).</param>
/// <param name="Fields">The fields, unquoted; unquoted fields are trimmed of surrounding spaces and tabs.</param>
/// <param name="Error">Why the record is malformed (an unterminated quote …), or null.</param>
internal sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields, string? Error)
{
    /// <summary>An empty line, or one of only separators (as spreadsheets leave at the end of a file).</summary>
    public bool IsBlank => Error is null && Fields.All(string.IsNullOrEmpty);
}
