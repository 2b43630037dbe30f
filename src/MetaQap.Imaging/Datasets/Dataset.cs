namespace MetaQap.Imaging.Datasets;

/// <summary>A dataset manifest read into memory: every labelled image, in manifest order.</summary>
/// <param name="Name">A human-readable name (the folder name, or the dataset's name and manifest file).</param>
/// <param name="Root">Absolute path of the folder that holds the manifest.</param>
/// <param name="Format">The layout it was read as.</param>
/// <param name="Items">The images, in the order of the manifest's rows.</param>
public sealed record Dataset(string Name, string Root, DatasetFormat Format, IReadOnlyList<DatasetItem> Items);
