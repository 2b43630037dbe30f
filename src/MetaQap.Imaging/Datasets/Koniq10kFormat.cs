namespace MetaQap.Imaging.Datasets;

/// <summary>
/// KonIQ-10k's score files. <c>koniq10k_scores_and_distributions.csv</c> (<c>image_name, c1..c5, c_total, MOS,
/// SD, MOS_zscore</c>) gives MOS on the 1..5 ACR scale: normalised as (MOS − 1) / 4.
/// <c>koniq10k_distributions_sets.csv</c> (<c>image_name, c1..c5, c_total, MOS, SD, set</c>) gives MOS on
/// 0..100: normalised as MOS / 100. Every image is its own content, so the content group is the image name.
/// </summary>
internal static class Koniq10kFormat
{
    public static readonly string[] FileNames = ["koniq10k_scores_and_distributions.csv", "koniq10k_distributions_sets.csv"];

    private const string Name = "KonIQ-10k";
    private const string ImageColumn = "image_name";
    private const string MosColumn = "MOS";
    private const string Expected =
        "KonIQ-10k's 'image_name,c1,c2,c3,c4,c5,c_total,MOS,SD,MOS_zscore' or 'image_name,c1,c2,c3,c4,c5,c_total,MOS,SD,set'";

    public static bool Recognises(Manifest manifest) =>
        manifest.HasColumns(ImageColumn, MosColumn) && (manifest.HasColumns("MOS_zscore") || manifest.HasColumns("set"));

    public static Dataset Read(Manifest manifest, DatasetReadOptions options)
    {
        if (!Recognises(manifest))
        {
            throw manifest.UnknownHeader(Expected);
        }

        // The sets file's MOS is on 0..100; the scores file's MOS is the 1..5 mean with its z-score beside it.
        bool percent = !manifest.HasColumns("MOS_zscore");
        double low = percent ? 0 : 1;
        double high = percent ? 100 : 5;
        int image = manifest.ColumnOf(ImageColumn);
        int mos = manifest.ColumnOf(MosColumn);
        string imagesFolder = ImagesFolders.Resolve(manifest, options, Name, "1024x768", "512x384", "images");
        var items = new List<DatasetItem>();
        foreach (CsvRecord row in manifest.DataRows(options.Limit))
        {
            string name = row.Fields[image];
            bool imageOk = manifest.TryResolveImage(row.LineNumber, name, imagesFolder, options.CheckImagesExist, out string path);
            bool mosOk = manifest.TryParseScore(row.LineNumber, MosColumn, row.Fields[mos], low, high, out double raw);
            if (imageOk && mosOk)
            {
                items.Add(new DatasetItem(name, path, (raw - low) / (high - low), raw, name));
            }
        }

        return new Dataset(Name, manifest.Folder, DatasetFormat.Koniq10k, manifest.Complete(items));
    }
}
