using MetaQap.Components.Sources;
using MetaQap.Contracts;

namespace MetaQap.Worker.Tests.Sources;

public sealed class ImageLocationTests
{
    [Theory]
    [InlineData("photos/a.jpg", "photos/a.jpg")]
    [InlineData("/srv/a.jpg", "/srv/a.jpg")]
    [InlineData("file:///srv/a%20b.jpg", "/srv/a b.jpg")]
    [InlineData("file://localhost/srv/a.jpg", "/srv/a.jpg")]
    public void Paths_and_file_uris_are_file_locations(string uri, string path)
    {
        Assert.Equal(new FileLocation(path), ImageLocation.Parse(uri, null));
    }

    [Fact]
    public void Http_urls_are_http_locations_and_are_stored_without_their_query()
    {
        var location = Assert.IsType<HttpLocation>(ImageLocation.Parse("https://cdn.example.com/a.png?token=secret", null));

        Assert.Equal("https://cdn.example.com/a.png", location.Describe());
    }

    [Fact]
    public void Inline_data_is_stored_as_its_length_only()
    {
        Assert.Equal("inline:8 chars", ImageLocation.Parse(null, "AAAAAAAA").Describe());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a.png", "AAAA")]
    [InlineData("ftp://example.com/a.png", null)]
    [InlineData("data:image/png;base64,AAAA", null)]
    [InlineData("file://fileserver/share/a.png", null)]
    public void Unusable_references_are_invalid(string? uri, string? base64)
    {
        Assert.Equal(FailureCode.InvalidReference, Assert.Throws<ImageFetchException>(() => ImageLocation.Parse(uri, base64)).Code);
    }
}
