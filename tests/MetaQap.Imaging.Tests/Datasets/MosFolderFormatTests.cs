using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class MosFolderFormatTests : IDisposable
{
    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mos_is_kept_as_given_with_absolute_paths_and_image_level_groups()
    {
        _temp.Write("mos.csv", "image,mos\nss01 (10).jpg,0.2896\nb.jpg,1\nc.jpg,0\n");
        _temp.Images("images", "ss01 (10).jpg", "b.jpg", "c.jpg");

        Dataset dataset = DatasetReader.ReadMosFolder(_temp.Root);

        Assert.Equal(DatasetFormat.MosFolder, dataset.Format);
        Assert.Equal(Path.GetFileName(_temp.Root), dataset.Name);
        Assert.Equal(_temp.Root, dataset.Root);
        DatasetItem first = dataset.Items[0];
        Assert.Equal(new DatasetItem("ss01 (10).jpg", _temp.PathOf("images", "ss01 (10).jpg"), 0.2896, 0.2896, "ss01 (10).jpg"), first);
        Assert.True(Path.IsPathRooted(first.ImagePath));
        Assert.Equal([0.2896, 1.0, 0.0], dataset.Items.Select(i => i.Mos));
    }

    [Fact]
    public void A_source_column_names_the_content_group_and_an_empty_one_falls_back_to_the_image()
    {
        _temp.Write("mos.csv", "image,source,mos\na.jpg,scene1,0.5\nb.jpg,scene1,0.6\nc.jpg,,0.7\n");
        _temp.Images("images", "a.jpg", "b.jpg", "c.jpg");

        Dataset dataset = DatasetReader.ReadMosFolder(_temp.Root);

        Assert.Equal(["scene1", "scene1", "c.jpg"], dataset.Items.Select(i => i.ContentGroup));
        Assert.Equal(0.6, dataset.Items[1].Mos);
    }

    [Fact]
    public void Bom_crlf_quoted_names_and_trailing_empty_lines_are_read()
    {
        _temp.Write("mos.csv", "image,mos\r\n\"a, quoted.jpg\",0.5\r\nb.jpg,0.25\r\n\r\n\r\n", byteOrderMark: true);
        _temp.Images("images", "a, quoted.jpg", "b.jpg");

        Dataset dataset = DatasetReader.ReadMosFolder(_temp.Root);

        Assert.Equal(["a, quoted.jpg", "b.jpg"], dataset.Items.Select(i => i.ImageId));
    }

    [Fact]
    public void The_csv_itself_can_be_given_instead_of_the_folder()
    {
        string csv = _temp.Write("mos.csv", "image,mos\na.jpg,0.5\n");
        _temp.Images("images", "a.jpg");

        Assert.Single(DatasetReader.ReadMosFolder(csv).Items);
    }

    [Fact]
    public void An_unknown_extra_column_is_a_header_error()
    {
        _temp.Write("mos.csv", "image,mos,dmos\na.jpg,0.5,3\n");
        _temp.Images("images", "a.jpg");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadMosFolder(_temp.Root));

        DatasetRowError only = Assert.Single(error.Errors);
        Assert.Equal(1, only.LineNumber);
        Assert.Contains("unknown column 'dmos'", only.Message);
    }

    [Fact]
    public void A_missing_header_is_its_own_error_on_line_1()
    {
        _temp.Write("mos.csv", "a.jpg,0.5\nb.jpg,0.6\n");
        _temp.Images("images", "a.jpg", "b.jpg");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadMosFolder(_temp.Root));

        DatasetRowError only = Assert.Single(error.Errors);
        Assert.Equal(1, only.LineNumber);
        Assert.Contains("header", only.Message);
        Assert.Contains("'image,mos'", only.Message);
    }
}
