using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// One batch ready for the network, still in managed memory: normalised CHW pixels of <see cref="Count"/> square
/// images, quality targets in [0, 1] and (pretraining only) distortion classes 0..24. Tensors are made from it on the
/// training thread, so that thread's dispose scopes own every tensor.
/// </summary>
public sealed record PreparedBatch(float[] Pixels, int Count, int Size, float[] Quality, long[]? DistortionClasses)
{
    /// <summary>The images as a [N, 3, S, S] float tensor.</summary>
    public Tensor ImagesTensor() => tensor(Pixels, [Count, 3, Size, Size]);

    public Tensor QualityTensor() => tensor(Quality, [Count]);

    public Tensor? DistortionTensor() => DistortionClasses is null ? null : tensor(DistortionClasses, [Count]);
}
