using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class Kadid10kFormatTests : IDisposable
{
    private readonly TempDataset _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Dmos_on_1_to_5_is_normalised_and_type_level_and_reference_are_exposed()
    {
        _temp.Write("dmos.csv", "dist_img,ref_img,dmos,var\nI01_01_01.png,I01.png,4.57,0.496\nI01_02_05.png,I01.png,1.0,0.1\nI81_25_03.png,I81.png,5,0\n");
        _temp.Images("images", "I01_01_01.png", "I01_02_05.png", "I81_25_03.png");

        Dataset dataset = DatasetReader.ReadKadid10k(_temp.Root);

        Assert.Equal(DatasetFormat.Kadid10k, dataset.Format);
        Assert.Equal(
            new DatasetItem("I01_01_01.png", _temp.PathOf("images", "I01_01_01.png"), (4.57 - 1) / 4, 4.57, "I01.png", 1, 1),
            dataset.Items[0]);
        Assert.Equal([0.0, 1.0], dataset.Items.Skip(1).Select(i => i.Mos));
        Assert.Equal([2, 25], dataset.Items.Skip(1).Select(i => i.DistortionType!.Value));
        Assert.Equal([5, 3], dataset.Items.Skip(1).Select(i => i.DistortionLevel!.Value));
        Assert.Equal(["I01.png", "I01.png", "I81.png"], dataset.Items.Select(i => i.ContentGroup));
    }

    [Fact]
    public void Names_that_do_not_follow_the_pattern_or_contradict_the_reference_are_bad_rows()
    {
        _temp.Write(
            "dmos.csv",
            "dist_img,ref_img,dmos,var\nphoto.png,I01.png,3,0\nI01_26_01.png,I01.png,3,0\nI01_01_06.png,I01.png,3,0\nI02_01_01.png,I01.png,3,0\nI03_01_01.png,,3,0\n");
        _temp.Images("images", "photo.png", "I01_26_01.png", "I01_01_06.png", "I02_01_01.png", "I03_01_01.png");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.ReadKadid10k(_temp.Root));

        Assert.Equal([2, 3, 4, 5, 6], error.Errors.Select(e => e.LineNumber));
        Assert.Contains("naming", error.Errors[0].Message);
        Assert.Contains("distortion type 26", error.Errors[1].Message);
        Assert.Contains("level 6", error.Errors[2].Message);
        Assert.Contains("is not the reference of", error.Errors[3].Message);
        Assert.Contains("empty ref_img", error.Errors[4].Message);
    }
}
