using System.Globalization;
using System.Text;

namespace MetaQap.Imaging.Datasets;

/// <summary>
/// A manifest that cannot be used as it is: an unknown or missing header, or bad rows. Every bad row of the file is
/// in <see cref="Errors"/>, so that one run shows all that needs fixing; the message lists the first of them.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>How many errors the message spells out; the rest are counted.</summary>
    public const int ErrorsInMessage = 20;

    public DatasetFormatException(string filePath, IReadOnlyList<DatasetRowError> errors)
        : base(Describe(filePath, errors))
    {
        FilePath = filePath;
        Errors = errors;
    }

    /// <summary>The manifest file the errors are in.</summary>
    public string FilePath { get; }

    /// <summary>Every problem found, in line order.</summary>
    public IReadOnlyList<DatasetRowError> Errors { get; }

    private static string Describe(string filePath, IReadOnlyList<DatasetRowError> errors)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{filePath}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}");
        for (int i = 0; i < errors.Count && i < ErrorsInMessage; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {errors[i]}");
        }

        if (errors.Count > ErrorsInMessage)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  … and {errors.Count - ErrorsInMessage} more");
        }

        return text.ToString();
    }
}
