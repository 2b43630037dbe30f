namespace MetaQap.Imaging.Datasets;

/// <summary>Finds the folder a manifest's image names are relative to.</summary>
internal static class ImagesFolders
{
    /// <summary>
    /// <see cref="DatasetReadOptions.ImagesFolder"/> when set, else the first of <paramref name="defaults"/> that
    /// exists next to the manifest. A missing folder is an error only when images are to be checked: a manifest
    /// can be inspected without its images.
    /// </summary>
    public static string Resolve(Manifest manifest, DatasetReadOptions options, string datasetName, params string[] defaults)
    {
        if (options.ImagesFolder is string given)
        {
            string path = Path.GetFullPath(Path.Combine(manifest.Folder, given));
            if (options.CheckImagesExist && !Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"{datasetName}: images folder not found: {path}");
            }

            return path;
        }

        foreach (string name in defaults)
        {
            string path = Path.Combine(manifest.Folder, name);
            if (Directory.Exists(path))
            {
                return path;
            }
        }

        if (options.CheckImagesExist)
        {
            string expected = string.Join(" or ", defaults.Select(d => d + "/"));
            throw new DirectoryNotFoundException(
                $"{datasetName}: no images folder next to {manifest.CsvPath}: expected {expected} (or set DatasetReadOptions.ImagesFolder)");
        }

        return Path.Combine(manifest.Folder, defaults[0]);
    }
}
