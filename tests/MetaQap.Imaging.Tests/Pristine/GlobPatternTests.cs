using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("motorcycle_*", "skimage/motorcycle_left.png", true)]
    [InlineData("motorcycle_*", "motorcycle_right.png", true)]
    [InlineData("motorcycle_*", "skimage/astronaut.png", false)]
    [InlineData("skimage/motorcycle_*", "skimage/motorcycle_left.png", true)]
    [InlineData("skimage/motorcycle_*", "other/skimage/motorcycle_left.png", false)]
    [InlineData("skimage/*", "skimage/deeper/x.png", false)]
    [InlineData("skimage/**", "skimage/deeper/x.png", true)]
    [InlineData("**/x.png", "x.png", true)]
    [InlineData("**/x.png", "a/b/x.png", true)]
    [InlineData("?.png", "a.png", true)]
    [InlineData("?.png", "ab.png", false)]
    [InlineData("a+b(1).png", "a+b(1).png", true)]
    [InlineData("*.JPG", "photos/holiday.jpg", true)]
    public void Matches_names_or_relative_paths(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, new GlobPattern(pattern).IsMatch(path));
    }
}
