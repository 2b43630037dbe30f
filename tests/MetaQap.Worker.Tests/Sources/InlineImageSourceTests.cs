using MetaQap.Components.Sources;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Tests.Sources;

public sealed class InlineImageSourceTests
{
    private readonly InlineImageSource _source = new(Options.Create(new SourceOptions { MaxInlineBytes = 1000 }));

    [Fact]
    public void Base64_up_to_the_cap_is_decoded()
    {
        byte[] bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        Assert.Equal(bytes, _source.Read(new InlineLocation(Convert.ToBase64String(bytes))));
    }

    [Fact]
    public void Base64_over_the_cap_is_too_large_without_being_decoded()
    {
        string data = Convert.ToBase64String(new byte[1003]);

        Assert.Equal(FailureCode.TooLarge, Assert.Throws<ImageFetchException>(() => _source.Read(new InlineLocation(data))).Code);
    }

    [Fact]
    public void Text_that_is_not_base64_is_an_invalid_reference()
    {
        Assert.Equal(FailureCode.InvalidReference, Assert.Throws<ImageFetchException>(() => _source.Read(new InlineLocation("%%%%"))).Code);
    }
}
