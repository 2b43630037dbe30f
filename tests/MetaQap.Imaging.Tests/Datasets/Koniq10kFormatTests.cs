using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class Koniq10kFormatTests : IDisposable
{
    // The layout of koniq10k_scores_and_distributions.csv: quoted header and names, MOS on 1..5.
    private const string ScoresCsv =
        "\"image_name\",\"c1\",\"c2\",\"c3\",\"c4\",\"c5\",\"c_total\",\"MOS\",\"SD\",\"MOS_zscore\"\r\n"
        + "\"10004473376.jpg\",0,0,25,73,7,105,3.828571429,0.527277894,77.38362069\r\n"
        + "\"10007357496.jpg\",0,3,45,47,1,96,1,0.580003025,68.72857143\r\n"
        + "\"100117038.jpg\",0,1,21,72,6,100,5,0.532859638,75.1125\r\n";

    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Scores_file_mos_on_1_to_5_is_normalised_as_mos_minus_1_over_4()
    {
        _temp.Write("koniq10k_scores_and_distributions.csv", ScoresCsv);
        _temp.Images("1024x768", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");

        Dataset dataset = DatasetReader.ReadKoniq10k(_temp.Root);

        Assert.Equal(DatasetFormat.Koniq10k, dataset.Format);
        Assert.Equal("10004473376.jpg", dataset.Items[0].ImageId);
        Assert.Equal(3.828571429, dataset.Items[0].RawScore);
        Assert.Equal((3.828571429 - 1) / 4, dataset.Items[0].Mos, 12);
        Assert.Equal([0.0, 1.0], dataset.Items.Skip(1).Select(i => i.Mos));
        Assert.Equal("10004473376.jpg", dataset.Items[0].ContentGroup);
        Assert.Equal(_temp.PathOf("1024x768", "10004473376.jpg"), dataset.Items[0].ImagePath);
    }

    [Fact]
    public void Sets_file_mos_on_0_to_100_is_normalised_as_a_percentage()
    {
        _temp.Write(
            "koniq10k_distributions_sets.csv",
            "image_name,c1,c2,c3,c4,c5,c_total,MOS,SD,set\n"
            + "10004473376.jpg,0.0,0.0,0.238095238095,0.695238095238,0.0666666666667,105,77.3836206897,0.527277894494,training\n");
        _temp.Images("512x384", "10004473376.jpg");

        DatasetItem item = Assert.Single(DatasetReader.ReadKoniq10k(_temp.Root).Items);

        Assert.Equal(0.773836206897, item.Mos, 12);
        Assert.Equal(77.3836206897, item.RawScore);
        Assert.Equal(_temp.PathOf("512x384", "10004473376.jpg"), item.ImagePath);
    }

    [Fact]
    public void The_full_resolution_folder_is_preferred_when_both_exist()
    {
        _temp.Write("koniq10k_scores_and_distributions.csv", ScoresCsv);
        _temp.Images("512x384", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");
        _temp.Images("1024x768", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");

        Dataset dataset = DatasetReader.ReadKoniq10k(_temp.Root);

        Assert.All(dataset.Items, i => Assert.Contains("1024x768", i.ImagePath, StringComparison.Ordinal));
    }

    [Fact]
    public void An_images_folder_given_in_the_options_overrides_detection()
    {
        _temp.Write("koniq10k_scores_and_distributions.csv", ScoresCsv);
        _temp.Images("1024x768", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");
        _temp.Images("elsewhere", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");

        Dataset dataset = DatasetReader.ReadKoniq10k(_temp.Root, new DatasetReadOptions { ImagesFolder = "elsewhere" });

        Assert.Equal(_temp.PathOf("elsewhere", "100117038.jpg"), dataset.Items[2].ImagePath);
    }

    [Fact]
    public void A_mos_above_5_is_out_of_range()
    {
        _temp.Write("koniq10k_scores_and_distributions.csv", ScoresCsv.Replace(",5,0.532859638", ",5.5,0.532859638", StringComparison.Ordinal));
        _temp.Images("1024x768", "10004473376.jpg", "10007357496.jpg", "100117038.jpg");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadKoniq10k(_temp.Root));

        DatasetRowError only = Assert.Single(error.Errors);
        Assert.Equal(4, only.LineNumber);
        Assert.Contains("outside [1, 5]", only.Message);
    }
}
