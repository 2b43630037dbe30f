using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.ImageNet;

/// <summary>The converted ImageNet weights as a ready-to-run frozen trunk, or as a state dict to build base models from.</summary>
public static class ImageNetTrunk
{
    /// <summary>resnet18_cntk with <paramref name="weightsFile"/> strict-loaded, in eval mode, BatchNorms folded and
    /// convolution weights channels-last (inference only, as <see cref="Quality.QualityModel.PrepareForInference"/>).</summary>
    public static ResNetCntk LoadFrozen(string weightsFile)
    {
        ResNetCntk trunk = ResNetCntk.resnet18_cntk();
        try
        {
            trunk.LoadSafeTensorsStrict(weightsFile);
            trunk.eval();
            InferencePreparation.Apply(trunk);
            return trunk;
        }
        catch
        {
            trunk.Dispose();
            throw;
        }
    }

    /// <summary>A safetensors file's tensors, disposed with the instance.</summary>
    public sealed class StateDict(string path) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = SafeTensors.Load(path);

        public void Dispose()
        {
            foreach (Tensor t in Tensors.Values)
            {
                t.Dispose();
            }
        }
    }
}
