using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaQap.Imaging.Datasets;

/// <summary>
/// A KADID-10k file name, <c>I{reference}_{type}_{level}.png</c> for a distorted image (e.g. <c>I01_01_01.png</c>:
/// reference 01, distortion type 01, level 01) or <c>I{reference}.png</c> for a reference image.
/// </summary>
internal static partial class KadidImageName
{
    public const int DistortionTypes = 25;
    public const int Levels = 5;

    /// <summary>Parses a distorted image's name; false when it does not follow the pattern.</summary>
    public static bool TryParseDistorted(string name, out int reference, out int type, out int level)
    {
        Match match = DistortedPattern().Match(Path.GetFileName(name));
        reference = type = level = 0;
        return match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out reference)
            && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out type)
            && int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out level);
    }

    /// <summary>Parses a reference image's name; false when it does not follow the pattern.</summary>
    public static bool TryParseReference(string name, out int reference)
    {
        Match match = ReferencePattern().Match(Path.GetFileName(name));
        reference = 0;
        return match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out reference);
    }

    [GeneratedRegex(@"^I(\d{1,4})_(\d{1,4})_(\d{1,4})\.[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DistortedPattern();

    [GeneratedRegex(@"^I(\d{1,4})\.[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
