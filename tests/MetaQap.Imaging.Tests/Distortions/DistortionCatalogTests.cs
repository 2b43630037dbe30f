using MetaQap.Imaging.Distortions;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class DistortionCatalogTests
{
    [Fact]
    public void Catalog_lists_the_25_types_in_KADID_order_with_five_levels_each()
    {
        Assert.Equal(25, DistortionCatalog.All.Count);
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(i + 1, (int)DistortionCatalog.All[i].Type);
            Assert.Equal(5, DistortionCatalog.All[i].LevelParameters.Count);
        }

        Assert.Equal(25, DistortionCatalog.All.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void Names_round_trip_and_parse_case_insensitively()
    {
        foreach (DistortionInfo info in DistortionCatalog.All)
        {
            Assert.True(DistortionCatalog.TryParse(info.Name, out DistortionType parsed));
            Assert.Equal(info.Type, parsed);
            Assert.True(DistortionCatalog.TryParse(info.Name.ToUpperInvariant(), out _));
        }

        Assert.False(DistortionCatalog.TryParse("sepia", out _));
        Assert.False(DistortionCatalog.TryParse("", out _));
    }

    [Fact]
    public void KADID_level_parameters_are_kept_as_published()
    {
        // From KADID-10k's imdist_generator.m (Lin, Hosu, Saupe 2019).
        Assert.Equal([0.1, 0.5, 1, 2, 5], DistortionCatalog.Get(DistortionType.GaussianBlur).LevelParameters);
        Assert.Equal([43, 36, 24, 7, 4], DistortionCatalog.Get(DistortionType.Jpeg).LevelParameters);
        Assert.Equal([16, 32, 45, 120, 400], DistortionCatalog.Get(DistortionType.Jpeg2000).LevelParameters);
        Assert.Equal([0.3, 0.15, 0, -0.4, -0.6], DistortionCatalog.Get(DistortionType.ContrastChange).LevelParameters);
        Assert.Equal([0.15, 0.08, 0, -0.08, -0.15], DistortionCatalog.Get(DistortionType.MeanShift).LevelParameters);
    }

    [Fact]
    public void Only_the_two_sided_types_are_marked_non_monotone_and_substitutes_are_documented()
    {
        Assert.Equal(
            [DistortionType.MeanShift, DistortionType.ContrastChange],
            DistortionCatalog.All.Where(d => !d.QualityFallsWithLevel).Select(d => d.Type));
        // No JPEG2000 encoder and no DnCNN here: those two at least must say what stands in for them.
        DistortionType[] substituted = [.. DistortionCatalog.All.Where(d => d.Substitution is not null).Select(d => d.Type)];
        Assert.Contains(DistortionType.Jpeg2000, substituted);
        Assert.Contains(DistortionType.Denoise, substituted);
        Assert.All(DistortionCatalog.All.Where(d => d.Substitution is not null), d => Assert.True(d.Substitution!.Length > 40, d.Name));
    }
}
