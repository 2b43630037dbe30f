using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class CsvParserTests
{
    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_spaces()
    {
        CsvRecord record = Assert.Single(CsvParser.Parse("\"a, b\",\"say \"\"hi\"\"\",\" padded \",  plain  \n"));

        Assert.Equal(["a, b", "say \"hi\"", " padded ", "plain"], record.Fields);
        Assert.Null(record.Error);
    }

    [Fact]
    public void Crlf_lf_and_lone_cr_all_end_lines_and_count_once()
    {
        var records = CsvParser.Parse("h1,h2\r\na,1\nb,2\rc,3\r\n").ToList();

        Assert.Equal([1, 2, 3, 4], records.Select(r => r.LineNumber));
        Assert.Equal(["c", "3"], records[3].Fields);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_not_part_of_the_first_field()
    {
        CsvRecord record = Assert.Single(CsvParser.Parse("\uFEFFimage,mos"));

        Assert.Equal("image", record.Fields[0]);
    }

    [Fact]
    public void A_quoted_field_over_two_lines_keeps_the_line_numbers_that_follow_right()
    {
        var records = CsvParser.Parse("h\n\"two\r\nlines\"\nnext\n").ToList();

        Assert.Equal("two\r\nlines", records[1].Fields[0]);
        Assert.Equal(2, records[1].LineNumber);
        Assert.Equal(4, records[2].LineNumber);
    }

    [Fact]
    public void Trailing_empty_lines_and_separator_only_lines_are_blank()
    {
        var records = CsvParser.Parse("a,b\n,\n\n").ToList();

        Assert.False(records[0].IsBlank);
        Assert.True(records[1].IsBlank);
        Assert.True(records[2].IsBlank);
        Assert.Equal(3, records.Count);
    }

    [Fact]
    public void An_unterminated_quote_is_reported_on_its_record_instead_of_thrown()
    {
        var records = CsvParser.Parse("h\n\"open,1\n").ToList();

        Assert.Contains("not closed", records[1].Error);
        Assert.Equal(2, records[1].LineNumber);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error()
    {
        CsvRecord record = Assert.Single(CsvParser.Parse("\"a\"b,1"));

        Assert.Contains("after the closing quote", record.Error);
        Assert.Equal(2, record.Fields.Count);
    }
}
