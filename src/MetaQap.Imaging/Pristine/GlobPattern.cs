using System.Text;
using System.Text.RegularExpressions;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// A file glob ('*', '?', '**') matched against a relative path with '/' separators, or against the file name
/// alone when the pattern has no '/'. Case is ignored.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _regex;
    private readonly bool _matchesPath;

    public GlobPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        _matchesPath = pattern.Contains('/', StringComparison.Ordinal);
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" also matches no directory at all, so "**/x.png" matches a top-level x.png.
                bool slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        regex.Append('$');
        _regex = new Regex(regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <param name="relativePath">Path relative to the scanned folder, with '/' separators.</param>
    public bool IsMatch(string relativePath)
    {
        string subject = _matchesPath ? relativePath : relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _regex.IsMatch(subject);
    }
}
