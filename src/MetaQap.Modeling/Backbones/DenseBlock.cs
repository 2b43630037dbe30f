using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's _DenseBlock: layers named denselayer1…denselayerN, each fed the concatenation of everything
/// before it; the block returns the concatenation of its input and all layer outputs.
/// </summary>
internal sealed class DenseBlock : Module<Tensor, Tensor>
{
    private readonly List<DenseLayer> _layers;

    public DenseBlock(int layerCount, long inputFeatures, long growthRate, long bottleneckFactor)
        : base(nameof(DenseBlock))
    {
        _layers = new List<DenseLayer>(layerCount);
        for (int i = 0; i < layerCount; i++)
        {
            var layer = new DenseLayer(inputFeatures + (i * growthRate), growthRate, bottleneckFactor);
            _layers.Add(layer);
            // The children are a variable-length list, so they are registered by hand under torchvision's names
            // instead of through RegisterComponents (which only sees fields).
            register_module($"denselayer{i + 1}", layer);
        }
    }

    public override Tensor forward(Tensor x)
    {
        var features = new List<Tensor>(_layers.Count + 1) { x };
        try
        {
            foreach (var layer in _layers)
            {
                using var input = cat(features, 1);
                features.Add(layer.forward(input));
            }

            return cat(features, 1);
        }
        finally
        {
            for (int i = 1; i < features.Count; i++)
            {
                features[i].Dispose();
            }
        }
    }
}
