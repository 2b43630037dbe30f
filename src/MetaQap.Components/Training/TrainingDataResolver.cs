using System.Globalization;
using MetaQap.Components.Sources;
using MetaQap.Contracts;
using MetaQap.Imaging.Datasets;

namespace MetaQap.Components.Training;

/// <summary>
/// Training data as a command names it, checked: paths only under the data roots (the scoring file-root rules), a
/// manifest read with every bad row reported, folds that exist. Each problem is a <see cref="TrainingRequestException"/>
/// with the failure code a subscriber can act on.
/// </summary>
internal sealed class TrainingDataResolver(TrainingRoleOptions options)
{
    public (Dataset Dataset, string Path) ReadDataset(TrainingDataSource? data, string field)
    {
        if (data is null || (data.Folder is null) == (data.ManifestUri is null))
        {
            throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"{field} must give exactly one of Folder and ManifestUri (a MOS dataset).");
        }

        if (data.SyntheticContents is not null)
        {
            throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"{field}.SyntheticContents is for pretraining; this command needs a MOS dataset.");
        }

        string path = data.Folder is { } folder
            ? ResolveData(folder, isFolder: true, $"{field}.Folder")
            : ResolveData(ManifestPath(data.ManifestUri!, field), isFolder: false, $"{field}.ManifestUri");
        Dataset dataset;
        try
        {
            dataset = DatasetReader.Read(path);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw new TrainingRequestException(TrainingFailureCode.DataNotFound, $"{field}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TrainingRequestException(TrainingFailureCode.DataAccessDenied, $"{field}: {e.Message}", e);
        }
        catch (DatasetFormatException e) when (e.Errors is [{ LineNumber: 1 } only] && only.Message.Contains("no data rows", StringComparison.Ordinal))
        {
            throw new TrainingRequestException(TrainingFailureCode.DataEmpty, $"{field}: the dataset at {path} has no items ({e.Message}).", e);
        }
        catch (Exception e) when (e is DatasetFormatException or IOException or ArgumentException)
        {
            throw new TrainingRequestException(TrainingFailureCode.DataInvalid, $"{field}: {e.Message}", e);
        }

        return dataset.Items.Count == 0
            ? throw new TrainingRequestException(TrainingFailureCode.DataEmpty, $"{field}: the dataset at {path} has no items.")
            : (dataset, path);
    }

    public static Fold Split(Dataset dataset, int k, int folds, int seed)
    {
        try
        {
            return ContentDisjointFolds.Split(dataset.Items, folds, seed)[k - 1];
        }
        catch (ArgumentException e)
        {
            throw new TrainingRequestException(TrainingFailureCode.DataEmpty,
                $"The dataset has too few contents for {folds} content-disjoint folds: {e.Message}", e);
        }
    }

    private static string ManifestPath(string uri, string field)
    {
        if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) && parsed.IsFile && (parsed.Host is "" or "localhost")
                ? parsed.LocalPath
                : throw new TrainingRequestException(TrainingFailureCode.DataAccessDenied, $"{field}: '{uri}' is not a local file:// URI.");
        }

        return uri.Contains("://", StringComparison.Ordinal)
            ? throw new TrainingRequestException(TrainingFailureCode.DataAccessDenied,
                $"{field}: only file:// URIs and paths are read for training data, not '{uri.Split("://")[0]}://'.")
            : uri;
    }

    public string ResolveData(string path, bool isFolder, string field)
    {
        try
        {
            return new FileRoots(options.DataRoots).Resolve(path, isFolder);
        }
        catch (ArgumentException e)
        {
            throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"{field}: '{path}' is not a usable path: {e.Message}", e);
        }
        catch (ImageFetchException e)
        {
            TrainingFailureCode code = e.Code == FailureCode.NotFound ? TrainingFailureCode.DataNotFound : TrainingFailureCode.DataAccessDenied;
            string hint = options.DataRoots.Count == 0 ? $" ({TrainingRoleOptions.SectionName}:DataRoots is empty)" : "";
            throw new TrainingRequestException(code, $"{field}: {e.Message}{hint}", e);
        }
    }

    public static (int K, int Folds) ParseFold(string text, string field)
    {
        string[] parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int folds)
            && folds is >= 2 and <= 100 && k >= 1 && k <= folds
            ? (k, folds)
            : throw new TrainingRequestException(TrainingFailureCode.InvalidRequest, $"{field} must be k/K with 2 <= K <= 100 and 1 <= k <= K (e.g. 1/5), not '{text}'.");
    }

}
