using System.Globalization;
using System.Text;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Out-of-fold base-model predictions, the meta-learner's training data: per image, its MOS and each base model's
/// score from the fold in which that image was held out. Everything is on the 0–100 score scale (MOS = 100 × the
/// dataset's [0, 1] MOS), so the fitted coefficients map base scores straight to the ensemble score.
/// </summary>
/// <remarks>
/// CSV format (UTF-8, comma-separated, invariant-culture numbers, one header line):
/// <code>
/// image_id,mos,resnet10_w32,mobilenet_v3_small
/// 0001.png,63.5,58.21,61.07
/// </code>
/// <c>image_id</c> and <c>mos</c> come first, then one column per base model named as in the ensemble. Fields
/// containing a comma or double quote are double-quoted with quotes doubled. Every value must be a finite number.
/// </remarks>
public sealed record OutOfFoldPredictions(
    IReadOnlyList<string> ImageIds,
    IReadOnlyList<double> Mos,
    IReadOnlyList<string> ModelNames,
    IReadOnlyList<double[]> Rows)
{
    public const string ImageIdColumn = "image_id";
    public const string MosColumn = "mos";

    /// <summary>Reads the CSV format above; throws <see cref="InvalidDataException"/> naming the line of any problem.</summary>
    public static OutOfFoldPredictions Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{path}: empty; expected a header '{ImageIdColumn},{MosColumn},<model>,...'.");
        }

        List<string> header = Split(lines[0].TrimStart('\uFEFF'), path, 1);
        if (header.Count < 3 || header[0] != ImageIdColumn || header[1] != MosColumn)
        {
            throw new InvalidDataException(
                $"{path}: header must be '{ImageIdColumn},{MosColumn}' followed by one column per base model, got '{lines[0]}'.");
        }

        var names = header.Skip(2).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new InvalidDataException($"{path}: a base model column is repeated in the header.");
        }

        var ids = new List<string>();
        var mos = new List<double>();
        var rows = new List<double[]>();
        for (int line = 1; line < lines.Length; line++)
        {
            if (lines[line].Length == 0)
            {
                continue;
            }

            List<string> fields = Split(lines[line], path, line + 1);
            if (fields.Count != header.Count)
            {
                throw new InvalidDataException($"{path} line {line + 1}: {fields.Count} fields, the header has {header.Count}.");
            }

            ids.Add(fields[0]);
            mos.Add(Number(fields[1], path, line + 1, MosColumn));
            var row = new double[names.Count];
            for (int m = 0; m < names.Count; m++)
            {
                row[m] = Number(fields[m + 2], path, line + 1, names[m]);
            }

            rows.Add(row);
        }

        return new OutOfFoldPredictions(ids, mos, names, rows);
    }

    /// <summary>Writes the CSV format above atomically (temporary file in the same folder, then renamed).</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = new StringBuilder();
        text.Append(ImageIdColumn).Append(',').Append(MosColumn);
        foreach (string name in ModelNames)
        {
            text.Append(',').Append(Quote(name));
        }

        text.Append('\n');
        for (int i = 0; i < ImageIds.Count; i++)
        {
            text.Append(Quote(ImageIds[i])).Append(',').Append(Mos[i].ToString("R", CultureInfo.InvariantCulture));
            foreach (double value in Rows[i])
            {
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static double Number(string field, string path, int line, string column)
    {
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new InvalidDataException($"{path} line {line}: column '{column}' is '{field}', not a finite number.");
        }

        return value;
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static List<string> Split(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{path} line {lineNumber}: unterminated quoted field.");
        }

        fields.Add(current.ToString().Trim());
        return fields;
    }
}
