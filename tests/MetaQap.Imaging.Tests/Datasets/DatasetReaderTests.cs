using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

/// <summary>Format detection and missing paths.</summary>
public sealed class DatasetReaderTests : IDisposable
{
    private static readonly DatasetReadOptions NoImageCheck = new() { CheckImagesExist = false };

    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("mos.csv", "image,mos\na.jpg,0.5\n", DatasetFormat.MosFolder)]
    [InlineData("dmos.csv", "dist_img,ref_img,dmos,var\nI01_01_01.png,I01.png,3,0.1\n", DatasetFormat.Kadid10k)]
    [InlineData("koniq10k_scores_and_distributions.csv", "image_name,c1,c2,c3,c4,c5,c_total,MOS,SD,MOS_zscore\na.jpg,0,0,0,1,0,1,4,0,70\n", DatasetFormat.Koniq10k)]
    [InlineData("koniq10k_distributions_sets.csv", "image_name,c1,c2,c3,c4,c5,c_total,MOS,SD,set\na.jpg,0,0,0,1,0,1,70,0,test\n", DatasetFormat.Koniq10k)]
    [InlineData("Train.csv", "Image Name,MOS\na.jpg,0.5\n", DatasetFormat.Biq2021)]
    public void A_folder_is_recognised_by_its_manifest_and_a_file_by_its_header(string fileName, string content, DatasetFormat format)
    {
        string csv = _temp.Write(Path.Combine("folder", fileName), content);
        string renamed = _temp.Write("anything.csv", content);

        Assert.Equal(format, DatasetReader.Read(Path.GetDirectoryName(csv)!, NoImageCheck).Format);
        Assert.Equal(format, DatasetReader.Read(renamed, NoImageCheck).Format);
    }

    [Fact]
    public void An_unknown_header_names_the_known_ones()
    {
        string csv = _temp.Write("scores.csv", "file,score\na.jpg,3\n");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(csv, NoImageCheck));

        DatasetRowError only = Assert.Single(error.Errors);
        Assert.Equal(1, only.LineNumber);
        Assert.Contains("unrecognised header 'file,score'", only.Message, StringComparison.Ordinal);
        Assert.Contains("dist_img,ref_img,dmos,var", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_a_missing_header()
    {
        string csv = _temp.Write("mos.csv", "");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(csv, NoImageCheck));

        Assert.Contains("missing header", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_reader_given_another_format_reports_the_header_it_expected()
    {
        string csv = _temp.Write("dmos.csv", "image,mos\na.jpg,0.5\n");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadKadid10k(csv, NoImageCheck));

        Assert.Contains("dist_img,ref_img,dmos,var", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_a_directory_not_found()
    {
        string missing = _temp.PathOf("no-such-dataset");

        var error = Assert.Throws<DirectoryNotFoundException>(() => DatasetReader.Read(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_csv_in_an_existing_folder_is_a_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => DatasetReader.Read(_temp.PathOf("mos.csv")));
    }

    [Fact]
    public void A_folder_without_a_manifest_is_a_file_not_found_that_lists_the_names_looked_for()
    {
        _temp.Images("images", "a.jpg");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetReader.Read(_temp.Root));

        Assert.Contains("mos.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("dmos.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_reader_given_a_folder_without_its_manifest_says_which_file_it_wanted()
    {
        var error = Assert.Throws<FileNotFoundException>(() => DatasetReader.ReadKoniq10k(_temp.Root));

        Assert.Contains("koniq10k_scores_and_distributions.csv", error.Message, StringComparison.Ordinal);
    }
}
