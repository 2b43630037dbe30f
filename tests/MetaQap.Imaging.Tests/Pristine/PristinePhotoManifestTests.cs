using System.Text.RegularExpressions;
using MetaQap.Testing;

namespace MetaQap.Imaging.Tests.Pristine;

/// <summary>
/// tools/pristine/photos.tsv, the licence-clean photos scripts/pristine-photos.sh gathers (issue 15): enough of them,
/// from several packages, each with a pinned package version, a sha256, a licence the project may ship weights of,
/// the attribution CC-BY requires, where that licence is stated, and a size that needs no upscaling at 512.
/// </summary>
public sealed partial class PristinePhotoManifestTests
{
    private static readonly HashSet<string> Allowed =
        ["public-domain", "CC0-1.0", "CC-BY-2.0", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0"];

    [Fact]
    public void Every_photo_is_pinned_checked_licence_clean_and_attributed()
    {
        List<Dictionary<string, string>> rows = Rows("photos.tsv");

        Assert.True(rows.Count >= 50, $"{rows.Count} photos; issue 15 asks for at least 50.");
        Assert.True(rows.Select(r => r["package"]).Distinct().Count() >= 3);
        Assert.All(rows, r =>
        {
            string name = $"{r["package"]} {r["path"]} {r["member"]}";
            Assert.True(Allowed.Contains(r["licence"]), $"{name}: licence '{r["licence"]}' is not one the project may ship weights of.");
            Assert.Matches(Sha256(), r["sha256"]);
            Assert.False(string.IsNullOrWhiteSpace(r["version"]), $"{name}: no package version");
            Assert.False(string.IsNullOrWhiteSpace(r["stated_in"]), $"{name}: no record of where the licence is stated");
            Assert.True(r["licence"] is "public-domain" or "CC0-1.0" || !string.IsNullOrWhiteSpace(r["author"]),
                $"{name}: {r["licence"]} needs an attribution");
            Assert.True(Math.Min(int.Parse(r["width"]), int.Parse(r["height"])) >= 512, $"{name}: shorter side under 512 px");
            Assert.StartsWith("/usr/", r["path"]);
        });
        Assert.Equal(rows.Count, rows.Select(r => r["sha256"]).Distinct().Count());
        Assert.Equal(rows.Count, rows.Select(r => (r["path"], r["member"])).Distinct().Count());
        // One version per package, the one packages.tsv pins with its .deb sha256: the script downloads exactly that.
        Dictionary<string, Dictionary<string, string>> packages = Rows("packages.tsv").ToDictionary(p => p["package"]);
        Assert.All(rows.GroupBy(r => r["package"]), g =>
        {
            Assert.True(packages.TryGetValue(g.Key, out Dictionary<string, string>? package), $"{g.Key} is not in packages.tsv");
            Assert.Equal(package!["version"], Assert.Single(g.Select(r => r["version"]).Distinct()));
            Assert.Matches(Sha256(), package["deb_sha256"]);
        });
        Assert.Equal(packages.Keys.Order(), rows.Select(r => r["package"]).Distinct().Order());
    }

    private static List<Dictionary<string, string>> Rows(string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tools", "pristine", file))
            .Where(l => !l.StartsWith('#') && l.Length > 0).ToArray();
        string[] header = lines[0].Split('\t');
        return [.. lines.Skip(1).Select(l =>
        {
            string[] cells = l.Split('\t');
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        })];
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
