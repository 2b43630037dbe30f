using SkiaSharp;

namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// Finds a typeface for plot labels. The SkiaSharp native build used here (NativeAssets.Linux.NoDependencies)
/// has no fontconfig, so family lookups come back empty on Linux; we then load a font file from the usual
/// system folders. On a machine without any font the plot is still written, just without text.
/// </summary>
internal static class PlotTypeface
{
    private static readonly string[] s_preferredFiles =
        ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc"];

    private static readonly string[] s_fontFolders =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts", @"C:\Windows\Fonts"];

    public static SKTypeface Load()
    {
        SKTypeface? byName = SKTypeface.FromFamilyName("DejaVu Sans");
        if (byName is { GlyphCount: > 0 })
        {
            return byName;
        }

        byName?.Dispose();
        foreach (string file in CandidateFiles())
        {
            SKTypeface? typeface = SKTypeface.FromFile(file);
            if (typeface is { GlyphCount: > 0 })
            {
                return typeface;
            }

            typeface?.Dispose();
        }

        return SKTypeface.CreateDefault();
    }

    private static IEnumerable<string> CandidateFiles()
    {
        var folders = s_fontFolders.Where(Directory.Exists).ToList();
        foreach (string name in s_preferredFiles)
        {
            foreach (string folder in folders)
            {
                foreach (string path in SafeEnumerate(folder, name))
                {
                    yield return path;
                }
            }
        }

        foreach (string folder in folders)
        {
            foreach (string path in SafeEnumerate(folder, "*.ttf"))
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> SafeEnumerate(string folder, string pattern)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive };
        return Directory.EnumerateFiles(folder, pattern, options).Order(StringComparer.Ordinal);
    }
}
