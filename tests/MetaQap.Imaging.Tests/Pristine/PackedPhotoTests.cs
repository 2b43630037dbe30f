using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class PackedPhotoTests
{
    [Fact]
    public void Crops_of_a_decoded_photo_are_lossless()
    {
        RgbImage decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(TestImages.Pattern(30, 20)));
        var packed = new PackedPhoto(decoded);

        RgbImage crop = packed.Crop(7, 3, 12);

        Assert.Equal(ImageResampler.Crop(decoded, 7, 3, 12, 12).Data, crop.Data);
        Assert.Equal(30 * 20 * 3, packed.Bytes);
    }

    [Fact]
    public void Crops_outside_the_photo_are_refused()
    {
        var packed = new PackedPhoto(new RgbImage(10, 8));

        Assert.Throws<ArgumentOutOfRangeException>(() => packed.Crop(0, 0, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => packed.Crop(-1, 0, 4));
    }
}
