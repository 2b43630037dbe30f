using System.Globalization;
using System.Text;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Metrics;

/// <summary>
/// The 8-bit binary PPMs in Metrics/Data, written by tools/reference/fr_metrics.py so that Python and C# measure
/// exactly the same samples.
/// </summary>
internal static class ReferenceImages
{
    public static RgbImage Load(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Metrics", "Data", name + ".ppm"));
        int position = 0;
        string magic = NextToken(bytes, ref position);
        int width = int.Parse(NextToken(bytes, ref position), CultureInfo.InvariantCulture);
        int height = int.Parse(NextToken(bytes, ref position), CultureInfo.InvariantCulture);
        int max = int.Parse(NextToken(bytes, ref position), CultureInfo.InvariantCulture);
        if (magic != "P6" || max != 255)
        {
            throw new InvalidDataException($"{name}: expected an 8-bit binary PPM (P6, 255), got {magic}, {max}.");
        }

        position++; // the single whitespace byte that ends the header
        var image = new RgbImage(width, height);
        for (int i = 0; i < width * height; i++)
        {
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                image.Data[(c * width * height) + i] = bytes[position + (3 * i) + c] / 255f;
            }
        }

        return image;
    }

    private static string NextToken(byte[] bytes, ref int position)
    {
        while (char.IsWhiteSpace((char)bytes[position]))
        {
            position++;
        }

        var token = new StringBuilder();
        while (!char.IsWhiteSpace((char)bytes[position]))
        {
            token.Append((char)bytes[position++]);
        }

        return token.ToString();
    }
}
