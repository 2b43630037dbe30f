using MetaQap.Modeling.Runtime;
using TorchSharp;

namespace MetaQap.Modeling.Training;

/// <summary>Sets libtorch's intra-op thread count for a run and restores the previous count afterwards.</summary>
internal sealed class TorchThreads : IDisposable
{
    private readonly int _previous;

    private TorchThreads(int previous) => _previous = previous;

    /// <summary>0 keeps the current setting. Also applies <see cref="NativeHeap.RetainFreedMemory"/>, as every run needs it.</summary>
    public static TorchThreads Use(int threads)
    {
        NativeHeap.RetainFreedMemory();
        int previous = torch.get_num_threads();
        if (threads > 0)
        {
            torch.set_num_threads(threads);
        }

        return new TorchThreads(previous);
    }

    public void Dispose() => torch.set_num_threads(_previous);
}
