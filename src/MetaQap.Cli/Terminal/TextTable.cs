namespace MetaQap.Cli.Terminal;

/// <summary>
/// A plain-text table: columns padded to their widest cell, two spaces apart, no trailing blanks. Plain text rather
/// than Spectre's tables, so the output reads the same in a pipe, a log and a test.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row needs {headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer)
    {
        int[] widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (string[] row in _rows.Prepend(headers))
        {
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
