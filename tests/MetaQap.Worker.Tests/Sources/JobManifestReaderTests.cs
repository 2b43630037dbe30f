using System.Text;
using MetaQap.Components.Scoring;

namespace MetaQap.Worker.Tests.Sources;

public sealed class JobManifestReaderTests
{
    [Fact]
    public void Json_lines_become_references_skipping_blank_lines_and_a_bom()
    {
        byte[] bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"uri\":\"x/a.jpg\"}\r\n\n  \n{\"Id\":\"b\",\"base64\":\"AAAA\"}"))
            .ToArray();

        var references = JobManifestReader.Parse(bytes, maxImages: 10);

        Assert.Equal(["a", "b"], references.Select(r => r.Id));
        Assert.Equal("x/a.jpg", references[0].Uri);
        Assert.Equal("AAAA", references[1].Base64);
    }

    [Theory]
    [InlineData("{\"id\":\"a\"}\nnot json", "line 2")]
    [InlineData("{\"uri\":\"a.jpg\"}", "line 1")]
    [InlineData("{\"id\":\"a\",\"url\":\"a.jpg\"}", "line 1")]
    [InlineData("null", "line 1")]
    [InlineData("\n\n", "no images")]
    [InlineData("{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}", "more than 2 images")]
    public void A_bad_manifest_rejects_the_message_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<InvalidScoringRequestException>(() => JobManifestReader.Parse(Encoding.UTF8.GetBytes(text), maxImages: 2));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        var error = Assert.Throws<InvalidScoringRequestException>(() => JobManifestReader.Parse([0xff, 0xfe, 0x00, 0xc3], maxImages: 2));

        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }
}
