namespace MetaQap.Imaging.Datasets;

/// <summary>
/// KADID-10k's <c>dmos.csv</c> (<c>dist_img,ref_img,dmos,var</c>) next to <c>images/</c>. Despite its name the
/// <c>dmos</c> column is a mean opinion score on 1..5, higher is better, so it is normalised as (dmos − 1) / 4.
/// The content group is the reference image; distortion type (1..25) and level (1..5) come from the file name.
/// </summary>
internal static class Kadid10kFormat
{
    public const string FileName = "dmos.csv";

    private const string Name = "KADID-10k";
    private const string DistortedColumn = "dist_img";
    private const string ReferenceColumn = "ref_img";
    private const string ScoreColumn = "dmos";
    private const string Expected = "KADID-10k's 'dist_img,ref_img,dmos,var'";

    public static bool Recognises(Manifest manifest) => manifest.HasColumns(DistortedColumn, ReferenceColumn, ScoreColumn);

    public static Dataset Read(Manifest manifest, DatasetReadOptions options)
    {
        if (!Recognises(manifest))
        {
            throw manifest.UnknownHeader(Expected);
        }

        int distorted = manifest.ColumnOf(DistortedColumn);
        int reference = manifest.ColumnOf(ReferenceColumn);
        int score = manifest.ColumnOf(ScoreColumn);
        string imagesFolder = ImagesFolders.Resolve(manifest, options, Name, "images", "Images");
        var items = new List<DatasetItem>();
        foreach (CsvRecord row in manifest.DataRows(options.Limit))
        {
            int line = row.LineNumber;
            string name = row.Fields[distorted];
            string referenceName = row.Fields[reference];
            bool imageOk = manifest.TryResolveImage(line, name, imagesFolder, options.CheckImagesExist, out string path);
            bool scoreOk = manifest.TryParseScore(line, ScoreColumn, row.Fields[score], 1, 5, out double raw);
            bool nameOk = TryParseName(manifest, line, name, referenceName, out int type, out int level);
            if (imageOk && scoreOk && nameOk)
            {
                items.Add(new DatasetItem(name, path, (raw - 1) / 4, raw, referenceName, type, level));
            }
        }

        return new Dataset(Name, manifest.Folder, DatasetFormat.Kadid10k, manifest.Complete(items));
    }

    /// <summary>
    /// Type and level from the distorted image's name, checked against the reference column: a row whose name and
    /// reference disagree would put one content in two groups and break content-disjoint splits.
    /// </summary>
    private static bool TryParseName(Manifest manifest, int line, string name, string referenceName, out int type, out int level)
    {
        if (name.Length == 0)
        {
            type = level = 0;
            return false; // already reported as an empty image name
        }

        if (!KadidImageName.TryParseDistorted(name, out int fromName, out type, out level))
        {
            manifest.AddError(line, $"{DistortedColumn} '{name}' does not follow KADID-10k's I<ref>_<type>_<level>.png naming");
            return false;
        }

        bool ok = true;
        if (type < 1 || type > KadidImageName.DistortionTypes)
        {
            manifest.AddError(line, $"{DistortedColumn} '{name}': distortion type {type} is outside 1..{KadidImageName.DistortionTypes}");
            ok = false;
        }

        if (level < 1 || level > KadidImageName.Levels)
        {
            manifest.AddError(line, $"{DistortedColumn} '{name}': level {level} is outside 1..{KadidImageName.Levels}");
            ok = false;
        }

        if (referenceName.Length == 0)
        {
            manifest.AddError(line, $"empty {ReferenceColumn}");
            ok = false;
        }
        else if (KadidImageName.TryParseReference(referenceName, out int fromReference) && fromReference != fromName)
        {
            manifest.AddError(line, $"{ReferenceColumn} '{referenceName}' is not the reference of '{name}'");
            ok = false;
        }

        return ok;
    }
}
