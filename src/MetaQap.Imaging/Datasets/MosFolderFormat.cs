namespace MetaQap.Imaging.Datasets;

/// <summary>
/// The project's own layout: <c>mos.csv</c> with header <c>image,mos</c> (and optionally <c>source</c>, the
/// content group) next to <c>images/</c>. MOS is already on [0, 1], higher is better, so it is kept as it is.
/// </summary>
internal static class MosFolderFormat
{
    public const string FileName = "mos.csv";

    private const string ImageColumn = "image";
    private const string MosColumn = "mos";
    private const string SourceColumn = "source";
    private const string Expected = "'image,mos' or 'image,mos,source'";

    public static bool Recognises(Manifest manifest) => manifest.HasColumns(ImageColumn, MosColumn);

    public static Dataset Read(Manifest manifest, DatasetReadOptions options)
    {
        if (!Recognises(manifest))
        {
            throw manifest.UnknownHeader(Expected);
        }

        // Strict about extra columns: a stray "dmos" or "mos_raw" column would otherwise be silently ignored.
        string? unknown = manifest.Header.FirstOrDefault(h =>
            !h.Equals(ImageColumn, StringComparison.OrdinalIgnoreCase)
            && !h.Equals(MosColumn, StringComparison.OrdinalIgnoreCase)
            && !h.Equals(SourceColumn, StringComparison.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw manifest.HeaderError($"unknown column '{unknown}' in header '{manifest.HeaderText}'; expected {Expected}");
        }

        int image = manifest.ColumnOf(ImageColumn);
        int mos = manifest.ColumnOf(MosColumn);
        int source = manifest.ColumnOf(SourceColumn);
        string imagesFolder = ImagesFolders.Resolve(manifest, options, "MOS folder", "images", "Images");
        var items = new List<DatasetItem>();
        foreach (CsvRecord row in manifest.DataRows(options.Limit))
        {
            string name = row.Fields[image];
            bool imageOk = manifest.TryResolveImage(row.LineNumber, name, imagesFolder, options.CheckImagesExist, out string path);
            bool mosOk = manifest.TryParseScore(row.LineNumber, MosColumn, row.Fields[mos], 0, 1, out double value);
            if (imageOk && mosOk)
            {
                string group = source >= 0 && row.Fields[source].Length > 0 ? row.Fields[source] : name;
                items.Add(new DatasetItem(name, path, value, value, group));
            }
        }

        string root = manifest.Folder;
        return new Dataset(Path.GetFileName(root), root, DatasetFormat.MosFolder, manifest.Complete(items));
    }
}
