using System.Globalization;

namespace MetaQap.Imaging.Datasets;

/// <summary>
/// A manifest CSV being read: its header, its data rows, and every problem found on the way. The format readers
/// validate fields through it so that all bad rows of a file are collected and reported together by
/// <see cref="Complete"/>, each with its line number.
/// </summary>
internal sealed class Manifest
{
    private readonly List<CsvRecord> _records;
    private readonly List<DatasetRowError> _errors = [];
    private readonly Dictionary<string, int> _imageLines = new(StringComparer.Ordinal);

    private Manifest(string csvPath, List<CsvRecord> records)
    {
        CsvPath = csvPath;
        _records = records;
        Header = records.Count > 0 && records[0].Error is null ? records[0].Fields : [];
    }

    /// <summary>Absolute path of the CSV file.</summary>
    public string CsvPath { get; }

    /// <summary>The folder the CSV is in; relative image folders are taken from here.</summary>
    public string Folder => Path.GetDirectoryName(CsvPath)!;

    /// <summary>The first line's fields (empty when the file is empty or its first line is malformed).</summary>
    public IReadOnlyList<string> Header { get; }

    public string HeaderText => string.Join(',', Header);

    /// <summary>Reads and parses the whole file (manifests are at most a few MB).</summary>
    public static Manifest Load(string csvPath)
    {
        string fullPath = Path.GetFullPath(csvPath);
        string text = File.ReadAllText(fullPath);
        return new Manifest(fullPath, [.. CsvParser.Parse(text)]);
    }

    /// <summary>The index of the column with this name (case-insensitive), or -1.</summary>
    public int ColumnOf(string name)
    {
        for (int i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public bool HasColumns(params string[] names) => names.All(n => ColumnOf(n) >= 0);

    /// <summary>An error about the header (line 1), for the caller to throw.</summary>
    public DatasetFormatException HeaderError(string message) => new(CsvPath, [new DatasetRowError(1, message)]);

    /// <summary>The header is not one the reader knows: says what it found and what it expected.</summary>
    public DatasetFormatException UnknownHeader(string expected)
    {
        if (_records.Count == 0 || (_records.Count == 1 && _records[0].IsBlank))
        {
            return HeaderError($"missing header: the file is empty; expected {expected}");
        }

        if (_records[0].Error is string error)
        {
            return HeaderError($"the header line is not valid CSV ({error}); expected {expected}");
        }

        return HeaderError($"unrecognised header '{HeaderText}' (is the header line missing?); expected {expected}");
    }

    /// <summary>
    /// The data rows that are well-formed CSV with as many fields as the header. Blank lines are skipped; malformed
    /// rows are recorded as errors and not returned. Stops after <paramref name="limit"/> non-blank rows.
    /// </summary>
    public IEnumerable<CsvRecord> DataRows(int? limit)
    {
        int taken = 0;
        for (int i = 1; i < _records.Count; i++)
        {
            CsvRecord row = _records[i];
            if (row.IsBlank)
            {
                continue;
            }

            if (limit is int max && taken >= max)
            {
                yield break;
            }

            taken++;
            if (row.Error is not null)
            {
                AddError(row.LineNumber, row.Error);
            }
            else if (row.Fields.Count != Header.Count)
            {
                AddError(row.LineNumber, $"expected {Header.Count} fields like the header ({HeaderText}), found {row.Fields.Count}");
            }
            else
            {
                yield return row;
            }
        }
    }

    public void AddError(int line, string message) => _errors.Add(new DatasetRowError(line, message));

    /// <summary>
    /// Resolves an image name against the images folder, refusing empty names, absolute paths, names that lead
    /// outside the folder, names already used on an earlier row, and (when asked) files that do not exist.
    /// </summary>
    public bool TryResolveImage(int line, string name, string imagesFolder, bool checkExists, out string fullPath)
    {
        fullPath = string.Empty;
        if (name.Length == 0)
        {
            AddError(line, "empty image name");
            return false;
        }

        // A drive letter is refused on every OS so that a manifest means the same thing everywhere.
        if (Path.IsPathRooted(name) || (name.Length >= 2 && name[1] == ':'))
        {
            AddError(line, $"image '{name}' is an absolute path; image names are relative to {imagesFolder}");
            return false;
        }

        string root = Path.TrimEndingDirectorySeparator(imagesFolder) + Path.DirectorySeparatorChar;
        string candidate = Path.GetFullPath(Path.Combine(root, name));
        if (!candidate.StartsWith(root, StringComparison.Ordinal))
        {
            AddError(line, $"image '{name}' leads outside the images folder {imagesFolder}");
            return false;
        }

        if (_imageLines.TryGetValue(candidate, out int firstLine))
        {
            AddError(line, $"duplicate image '{name}' (first on line {firstLine})");
            return false;
        }

        _imageLines.Add(candidate, line);
        if (checkExists && !File.Exists(candidate))
        {
            AddError(line, $"image file not found: {candidate}");
            return false;
        }

        fullPath = candidate;
        return true;
    }

    /// <summary>Parses a finite number in [min, max] (invariant culture), recording why it is not one.</summary>
    public bool TryParseScore(int line, string column, string text, double min, double max, out double value)
    {
        if (text.Length == 0)
        {
            AddError(line, $"empty {column}");
        }
        else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            AddError(line, $"{column} '{text}' is not a number");
        }
        else if (!double.IsFinite(value))
        {
            AddError(line, $"{column} '{text}' is not finite");
        }
        else if (value < min || value > max)
        {
            AddError(line, string.Create(CultureInfo.InvariantCulture, $"{column} {text} is outside [{min}, {max}]"));
        }
        else
        {
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <summary>The items, or a <see cref="DatasetFormatException"/> listing every error found, in line order.</summary>
    public IReadOnlyList<DatasetItem> Complete(List<DatasetItem> items)
    {
        if (_errors.Count > 0)
        {
            throw new DatasetFormatException(CsvPath, [.. _errors.OrderBy(e => e.LineNumber)]);
        }

        if (items.Count == 0)
        {
            throw new DatasetFormatException(CsvPath, [new DatasetRowError(1, "the manifest has a header but no data rows")]);
        }

        return items;
    }
}
