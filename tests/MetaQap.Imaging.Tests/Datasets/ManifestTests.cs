using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

/// <summary>Bad rows, through the public reader: all are collected, each with its line number.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_kind_of_bad_row_is_reported_with_its_line_number_in_one_exception()
    {
        string csv = _temp.Write(
            "mos.csv",
            string.Join(
                "\r\n",
                "image,mos",            // 1
                "a.jpg,0.5",            // 2 good
                "b.jpg,0.5,extra",      // 3 wrong column count
                "c.jpg,abc",            // 4 unparsable
                "d.jpg,NaN",            // 5 not finite
                "e.jpg,Infinity",       // 6 not finite
                "f.jpg,1.5",            // 7 out of range
                ",0.5",                 // 8 empty image name
                "a.jpg,0.7",            // 9 duplicate
                "missing.jpg,0.5",      // 10 no such file
                "../x.jpg,0.5",         // 11 escapes the images folder
                "/etc/hosts,0.5",       // 12 absolute
                "C:\\x.jpg,0.5",        // 13 drive-letter absolute
                "g.jpg,",               // 14 empty MOS
                "sub/../../y.jpg,0.5",  // 15 escapes through a subfolder
                "\"h.jpg,0.5",          // 16 unterminated quote (runs to the end of the file)
                "i.jpg,0.5"));
        _temp.Images("images", "a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg", "g.jpg", "h.jpg");
        File.WriteAllBytes(_temp.PathOf("x.jpg"), []);

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(_temp.Root));

        Assert.Equal(csv, error.FilePath);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], error.Errors.Select(e => e.LineNumber));
        string[] expected =
        [
            "expected 2 fields", "is not a number", "is not finite", "is not finite", "outside [0, 1]",
            "empty image name", "duplicate image 'a.jpg' (first on line 2)", "image file not found", "leads outside",
            "absolute path", "absolute path", "empty mos", "leads outside", "not closed",
        ];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Contains(expected[i], error.Errors[i].Message, StringComparison.Ordinal);
        }

        Assert.Contains("line 3: expected 2 fields", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 16:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_two_problems_reports_both_on_the_same_line()
    {
        _temp.Write("mos.csv", "image,mos\nmissing.jpg,-1\n");
        _temp.Images("images");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(_temp.Root));

        Assert.Equal([2, 2], error.Errors.Select(e => e.LineNumber));
    }

    [Fact]
    public void The_message_lists_the_first_twenty_errors_and_counts_the_rest()
    {
        string rows = string.Concat(Enumerable.Range(0, 25).Select(i => $"img{i}.jpg,2\n"));
        _temp.Write("mos.csv", "image,mos\n" + rows);

        var error = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(_temp.Root, new DatasetReadOptions { CheckImagesExist = false }));

        Assert.Equal(25, error.Errors.Count);
        Assert.Contains("line 21:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 22:", error.Message, StringComparison.Ordinal);
        Assert.Contains("and 5 more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_rows_is_an_error()
    {
        _temp.Write("mos.csv", "image,mos\n\n");
        _temp.Images("images");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(_temp.Root));

        Assert.Contains("no data rows", Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void Without_the_image_check_missing_files_and_a_missing_images_folder_are_accepted()
    {
        _temp.Write("mos.csv", "image,mos\na.jpg,0.5\n");

        Dataset dataset = DatasetReader.Read(_temp.Root, new DatasetReadOptions { CheckImagesExist = false });

        Assert.Equal(_temp.PathOf("images", "a.jpg"), Assert.Single(dataset.Items).ImagePath);
    }

    [Fact]
    public void With_the_image_check_a_missing_images_folder_is_one_clear_error()
    {
        _temp.Write("mos.csv", "image,mos\na.jpg,0.5\n");

        var error = Assert.Throws<DirectoryNotFoundException>(() => DatasetReader.Read(_temp.Root));

        Assert.Contains("images/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_reads_only_the_first_rows_so_later_bad_rows_go_unseen()
    {
        _temp.Write("mos.csv", "image,mos\na.jpg,0.5\n\nb.jpg,0.6\nc.jpg,not a number\n");
        _temp.Images("images", "a.jpg", "b.jpg");

        Dataset dataset = DatasetReader.Read(_temp.Root, new DatasetReadOptions { Limit = 2 });

        Assert.Equal(["a.jpg", "b.jpg"], dataset.Items.Select(i => i.ImageId));
    }

    [Fact]
    public void A_limit_below_one_is_refused()
    {
        _temp.Write("mos.csv", "image,mos\na.jpg,0.5\n");

        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetReader.Read(_temp.Root, new DatasetReadOptions { Limit = 0 }));
    }
}
