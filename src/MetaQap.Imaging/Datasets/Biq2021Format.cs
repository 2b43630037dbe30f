namespace MetaQap.Imaging.Datasets;

/// <summary>
/// BIQ2021 as its repository ships it: <c>Train.csv</c> / <c>Test.csv</c> (header <c>Image Name,MOS</c>, the
/// official split) or their earlier versions <c>Train (Images and MOS).csv</c> / <c>Test (Images and MOS).csv</c>
/// (header <c>Image Name,MOS,,</c>), with the images in <c>Images/</c>. The authors already rescaled MOS to about
/// [0, 1], higher is better, but the current files stray a little outside it (Test.csv has
/// <c>ss03 (5942).jpg</c> at −0.12272): values in [<see cref="LowestRaw"/>, <see cref="HighestRaw"/>] are
/// accepted and clamped to [0, 1]. Every image is its own content.
/// </summary>
internal static class Biq2021Format
{
    /// <summary>Used for a folder: the training split, newest file first.</summary>
    public static readonly string[] FileNames = ["Train.csv", "Train (Images and MOS).csv"];

    /// <summary>Anything further out is not the authors' rescaled MOS (a 1..5 MOS, a percentage …).</summary>
    public const double LowestRaw = -0.25;

    public const double HighestRaw = 1.25;

    private const string ImageColumn = "Image Name";
    private const string MosColumn = "MOS";
    private const string Expected = "BIQ2021's 'Image Name,MOS'";

    public static bool Recognises(Manifest manifest) => manifest.HasColumns(ImageColumn, MosColumn);

    public static Dataset Read(Manifest manifest, DatasetReadOptions options)
    {
        if (!Recognises(manifest))
        {
            throw manifest.UnknownHeader(Expected);
        }

        int image = manifest.ColumnOf(ImageColumn);
        int mos = manifest.ColumnOf(MosColumn);
        string imagesFolder = ImagesFolders.Resolve(manifest, options, "BIQ2021", "Images", "images");
        var items = new List<DatasetItem>();
        foreach (CsvRecord row in manifest.DataRows(options.Limit))
        {
            string name = row.Fields[image];
            bool imageOk = manifest.TryResolveImage(row.LineNumber, name, imagesFolder, options.CheckImagesExist, out string path);
            bool mosOk = manifest.TryParseScore(row.LineNumber, MosColumn, row.Fields[mos], LowestRaw, HighestRaw, out double raw);
            if (imageOk && mosOk)
            {
                items.Add(new DatasetItem(name, path, Math.Clamp(raw, 0, 1), raw, name));
            }
        }

        string split = Path.GetFileNameWithoutExtension(manifest.CsvPath);
        return new Dataset($"BIQ2021 {split}", manifest.Folder, DatasetFormat.Biq2021, manifest.Complete(items));
    }
}
