using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class Biq2021FormatTests : IDisposable
{
    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Current_split_files_are_clamped_to_the_unit_range_keeping_the_raw_value()
    {
        // Rows as in the repository's Test.csv and Train.csv (commit 474aab1), including its most negative MOS.
        _temp.Write("Test.csv", "Image Name,MOS\nss03 (7805).jpg,0.70609\nss03 (5942).jpg,-0.12272\nss03 (6251).jpg,0.96449\n");
        _temp.Images("Images", "ss03 (7805).jpg", "ss03 (5942).jpg", "ss03 (6251).jpg");

        Dataset dataset = DatasetReader.ReadBiq2021(_temp.PathOf("Test.csv"));

        Assert.Equal(DatasetFormat.Biq2021, dataset.Format);
        Assert.Equal("BIQ2021 Test", dataset.Name);
        Assert.Equal([0.70609, 0.0, 0.96449], dataset.Items.Select(i => i.Mos));
        Assert.Equal(-0.12272, dataset.Items[1].RawScore);
        Assert.Equal("ss03 (5942).jpg", dataset.Items[1].ContentGroup);
        Assert.Equal(_temp.PathOf("Images", "ss03 (7805).jpg"), dataset.Items[0].ImagePath);
    }

    [Fact]
    public void The_earlier_files_with_two_empty_columns_and_separator_only_lines_are_read()
    {
        _temp.Write("Train (Images and MOS).csv", "Image Name,MOS,,\r\nss03 (3753).jpg,0.8471,,\r\nss01 (1726).jpg,0.2874,,\r\n,,,\r\n");
        _temp.Images("Images", "ss03 (3753).jpg", "ss01 (1726).jpg");

        Dataset dataset = DatasetReader.ReadBiq2021(_temp.Root);

        Assert.Equal("BIQ2021 Train (Images and MOS)", dataset.Name);
        Assert.Equal([0.8471, 0.2874], dataset.Items.Select(i => i.Mos));
    }

    [Fact]
    public void A_folder_means_the_training_split_and_the_current_file_wins()
    {
        _temp.Write("Train (Images and MOS).csv", "Image Name,MOS,,\nss03 (3753).jpg,0.8471,,\n");
        _temp.Write("Train.csv", "Image Name,MOS\nss03 (3753).jpg,0.83292\n");
        _temp.Write("Test.csv", "Image Name,MOS\nss03 (7805).jpg,0.70609\n");
        _temp.Images("Images", "ss03 (3753).jpg", "ss03 (7805).jpg");

        Dataset dataset = DatasetReader.Read(_temp.Root);

        Assert.Equal("BIQ2021 Train", dataset.Name);
        Assert.Equal(0.83292, Assert.Single(dataset.Items).Mos);
    }

    [Fact]
    public void A_mos_on_the_five_point_scale_is_out_of_range()
    {
        _temp.Write("Train.csv", "Image Name,MOS\nss03 (3753).jpg,3.2\n");
        _temp.Images("Images", "ss03 (3753).jpg");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadBiq2021(_temp.Root));

        Assert.Contains("outside [-0.25, 1.25]", Assert.Single(error.Errors).Message);
    }
}
