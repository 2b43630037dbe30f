using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Quality;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>One base model with its preprocessing and output mapping, run in eval mode without gradients.</summary>
internal sealed class BaseModelRunner
{
    private readonly QualityModel _model;
    private readonly ChannelNormalization _normalization;
    private readonly OutputScale _outputScale;
    private readonly Device _device;

    public BaseModelRunner(string name, QualityModel model, int inputSize, int? viewSide, ChannelNormalization normalization, OutputScale outputScale, Device device)
    {
        Name = name;
        _model = model;
        InputSize = inputSize;
        ViewSide = viewSide;
        _normalization = normalization;
        _outputScale = outputScale;
        _device = device;
    }

    public string Name { get; }

    public int InputSize { get; }

    /// <summary>See <see cref="BaseModelEntry.ViewSide"/>.</summary>
    public int? ViewSide { get; }

    /// <summary>
    /// Scores (0–100, after the output scale) and, when <paramref name="logits"/> is given, the raw distortion
    /// logits ([N·25], row-major) of crops already at <see cref="InputSize"/>. Tensors live in the caller's scope.
    /// </summary>
    public double[] Run(IReadOnlyList<RgbImage> crops, float[]? logits)
    {
        float[] samples = ScoringPreprocessor.ToBatch(crops, InputSize, _normalization);
        using Tensor cpuInput = tensor(samples, [crops.Count, 3, InputSize, InputSize]);
        using Tensor input = cpuInput.to(_device);
        _model.eval();
        using var noGrad = no_grad();
        QualityOutput output = _model.forward(input);
        using Tensor quality = output.Quality;
        using Tensor distortion = output.DistortionLogits;
        using Tensor qualityCpu = quality.to(float32).cpu();
        float[] raw = qualityCpu.data<float>().ToArray();
        var scores = new double[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            scores[i] = (_outputScale.Scale * raw[i]) + _outputScale.Offset;
        }

        if (logits is not null)
        {
            using Tensor logitsCpu = distortion.to(float32).cpu();
            logitsCpu.data<float>().CopyTo(logits, 0);
        }

        return scores;
    }

    public static ChannelNormalization Normalization(BaseModelEntry entry) => new(
        [(float)entry.NormalizationMean[0], (float)entry.NormalizationMean[1], (float)entry.NormalizationMean[2]],
        [(float)entry.NormalizationStd[0], (float)entry.NormalizationStd[1], (float)entry.NormalizationStd[2]]);
}
