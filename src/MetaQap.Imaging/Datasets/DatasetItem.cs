namespace MetaQap.Imaging.Datasets;

/// <summary>One labelled image of a dataset.</summary>
/// <param name="ImageId">The image's name as the manifest writes it (a path relative to the images folder).</param>
/// <param name="ImagePath">Absolute path of the image file.</param>
/// <param name="Mos">Mean opinion score normalised to [0, 1], higher is better (per-format rule in docs/datasets.md).</param>
/// <param name="RawScore">The score exactly as the manifest gives it, on the dataset's own scale.</param>
/// <param name="ContentGroup">
/// Images that show the same content share this value (KADID-10k: the reference image), so that splits can keep
/// a content out of training entirely; it is the image id itself where the dataset says nothing about content.
/// </param>
/// <param name="DistortionType">KADID-10k distortion type number (1..25), parsed from the file name.</param>
/// <param name="DistortionLevel">KADID-10k distortion level (1..5), parsed from the file name.</param>
public sealed record DatasetItem(
    string ImageId,
    string ImagePath,
    double Mos,
    double RawScore,
    string ContentGroup,
    int? DistortionType = null,
    int? DistortionLevel = null);
