namespace MetaQap.Imaging.Datasets;

/// <summary>The manifest layouts <see cref="DatasetReader"/> understands (docs/datasets.md describes each).</summary>
public enum DatasetFormat
{
    /// <summary>A folder with <c>mos.csv</c> (<c>image,mos[,source]</c>, MOS in [0, 1]) and <c>images/</c>.</summary>
    MosFolder,

    /// <summary>KonIQ-10k: <c>koniq10k_scores_and_distributions.csv</c> or <c>koniq10k_distributions_sets.csv</c>.</summary>
    Koniq10k,

    /// <summary>KADID-10k: <c>dmos.csv</c> (<c>dist_img,ref_img,dmos,var</c>) and <c>images/</c>.</summary>
    Kadid10k,

    /// <summary>BIQ2021 as its repository ships it: <c>Train.csv</c>/<c>Test.csv</c> (<c>Image Name,MOS</c>) and <c>Images/</c>.</summary>
    Biq2021,
}
