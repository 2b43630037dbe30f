using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Training;
using MetaQap.Modeling.Weights;

namespace MetaQap.Modeling.Features;

/// <summary>
/// A head fitted on the frozen ImageNet trunk's features, written as a whole base model (the trunk's weights and the
/// head in the quality layer) that an ensemble loads like any other: what the recipes' heads and calibration write.
/// </summary>
public static class TrunkHeadWeights
{
    /// <summary>Writes <paramref name="path"/> atomically (its folder created); <paramref name="copyHead"/> fills the quality layer.</summary>
    public static string Write(string path, string architecture, int qualityHidden, string trunkWeights, Action<QualityModel> copyHead)
    {
        ArgumentNullException.ThrowIfNull(copyHead);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var network = new QualityModel(architecture, qualityHidden: qualityHidden);
        network.Backbone.LoadSafeTensorsStrict(trunkWeights);
        copyHead(network);
        AtomicFile.Write(path, s => SafeTensors.Save(s, network.state_dict()));
        return path;
    }
}
