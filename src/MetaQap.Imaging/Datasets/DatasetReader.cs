namespace MetaQap.Imaging.Datasets;

/// <summary>
/// Reads IQA dataset manifests (image names with mean opinion scores) into <see cref="Dataset"/>s with MOS on
/// [0, 1], higher is better. Images are not decoded here; with <see cref="DatasetReadOptions.CheckImagesExist"/>
/// their files must exist. A bad manifest throws one <see cref="DatasetFormatException"/> listing every bad row.
/// </summary>
public static class DatasetReader
{
    private const string KnownHeaders =
        "'image,mos[,source]' (MOS folder), KonIQ-10k's 'image_name,…,MOS,SD,MOS_zscore|set', "
        + "KADID-10k's 'dist_img,ref_img,dmos,var' or BIQ2021's 'Image Name,MOS'";

    /// <summary>
    /// Reads a dataset, detecting its format: a folder by the manifest it holds (<c>mos.csv</c>, <c>dmos.csv</c>,
    /// a KonIQ-10k score file, BIQ2021's <c>Train.csv</c>, in that order), a CSV file by its header.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder, or the images folder when images are checked, is missing.</exception>
    /// <exception cref="FileNotFoundException">The file is missing, or the folder holds no known manifest.</exception>
    /// <exception cref="DatasetFormatException">The header is unknown, or rows are bad.</exception>
    public static Dataset Read(string path, DatasetReadOptions? options = null)
    {
        options = Validate(options);
        if (Directory.Exists(path))
        {
            return FindManifest(path) switch
            {
                (DatasetFormat.MosFolder, string csv) => MosFolderFormat.Read(Manifest.Load(csv), options),
                (DatasetFormat.Kadid10k, string csv) => Kadid10kFormat.Read(Manifest.Load(csv), options),
                (DatasetFormat.Koniq10k, string csv) => Koniq10kFormat.Read(Manifest.Load(csv), options),
                (DatasetFormat.Biq2021, string csv) => Biq2021Format.Read(Manifest.Load(csv), options),
                _ => throw new FileNotFoundException(
                    $"No dataset manifest in {Path.GetFullPath(path)}: expected {MosFolderFormat.FileName}, {Kadid10kFormat.FileName}, "
                    + $"{string.Join(", ", Koniq10kFormat.FileNames)} or {string.Join(", ", Biq2021Format.FileNames)}"),
            };
        }

        Manifest manifest = Manifest.Load(RequireFile(path));
        if (Kadid10kFormat.Recognises(manifest))
        {
            return Kadid10kFormat.Read(manifest, options);
        }

        if (Koniq10kFormat.Recognises(manifest))
        {
            return Koniq10kFormat.Read(manifest, options);
        }

        if (Biq2021Format.Recognises(manifest))
        {
            return Biq2021Format.Read(manifest, options);
        }

        if (MosFolderFormat.Recognises(manifest))
        {
            return MosFolderFormat.Read(manifest, options);
        }

        throw manifest.UnknownHeader(KnownHeaders);
    }

    /// <summary>Reads a folder with <c>mos.csv</c> (<c>image,mos[,source]</c>) and <c>images/</c>, or that <c>mos.csv</c> itself.</summary>
    public static Dataset ReadMosFolder(string folder, DatasetReadOptions? options = null) =>
        MosFolderFormat.Read(Manifest.Load(ManifestIn(folder, "MOS folder", MosFolderFormat.FileName)), Validate(options));

    /// <summary>Reads KonIQ-10k: its folder (score file plus <c>1024x768/</c> or <c>512x384/</c>) or a score file.</summary>
    public static Dataset ReadKoniq10k(string path, DatasetReadOptions? options = null) =>
        Koniq10kFormat.Read(Manifest.Load(ManifestIn(path, "KonIQ-10k", Koniq10kFormat.FileNames)), Validate(options));

    /// <summary>Reads KADID-10k: its folder (<c>dmos.csv</c> plus <c>images/</c>) or its <c>dmos.csv</c>.</summary>
    public static Dataset ReadKadid10k(string path, DatasetReadOptions? options = null) =>
        Kadid10kFormat.Read(Manifest.Load(ManifestIn(path, "KADID-10k", Kadid10kFormat.FileName)), Validate(options));

    /// <summary>
    /// Reads BIQ2021: a split file such as <c>Test.csv</c>, or the repository folder, which means its training split
    /// (<c>Train.csv</c>, else <c>Train (Images and MOS).csv</c>).
    /// </summary>
    public static Dataset ReadBiq2021(string path, DatasetReadOptions? options = null) =>
        Biq2021Format.Read(Manifest.Load(ManifestIn(path, "BIQ2021", Biq2021Format.FileNames)), Validate(options));

    private static DatasetReadOptions Validate(DatasetReadOptions? options)
    {
        options ??= new DatasetReadOptions();
        if (options.Limit is int limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit, nameof(options));
        }

        return options;
    }

    private static (DatasetFormat Format, string Csv)? FindManifest(string folder)
    {
        string? Existing(params string[] names) =>
            names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

        return Existing(MosFolderFormat.FileName) is string mos ? (DatasetFormat.MosFolder, mos)
            : Existing(Kadid10kFormat.FileName) is string dmos ? (DatasetFormat.Kadid10k, dmos)
            : Existing(Koniq10kFormat.FileNames) is string koniq ? (DatasetFormat.Koniq10k, koniq)
            : Existing(Biq2021Format.FileNames) is string biq ? (DatasetFormat.Biq2021, biq)
            : null;
    }

    /// <summary>The path itself when it is a file, else the first of the format's manifest names in that folder.</summary>
    private static string ManifestIn(string path, string datasetName, params string[] fileNames)
    {
        if (File.Exists(path))
        {
            return path;
        }

        if (!Directory.Exists(path))
        {
            return RequireFile(path);
        }

        return fileNames.Select(n => Path.Combine(path, n)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"No {datasetName} manifest in {Path.GetFullPath(path)}: expected {string.Join(" or ", fileNames)}");
    }

    /// <summary>Throws the exception that says what is missing: the file, or the folder it should be in.</summary>
    private static string RequireFile(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full);
        if (!Path.HasExtension(full) || (parent is not null && !Directory.Exists(parent)))
        {
            throw new DirectoryNotFoundException($"Dataset folder not found: {(Path.HasExtension(full) ? parent : full)}");
        }

        throw new FileNotFoundException($"Dataset manifest not found: {full}", full);
    }
}
