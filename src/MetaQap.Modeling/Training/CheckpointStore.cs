using System.Text.Json;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Per-epoch checkpoints under <c>{run}/checkpoints/</c>. Each is a folder <c>epoch-NNNN</c> holding
/// <c>model.safetensors</c> (current weights and BatchNorm buffers), <c>optimizer.safetensors</c> (AdamW moments),
/// <c>best.safetensors</c> (best weights so far) and <c>state.json</c>. A checkpoint is written under a temporary
/// name and renamed into place, then <c>latest.json</c> is replaced atomically to point at it, and only then are
/// older ones deleted: whenever the process dies, <c>latest.json</c> names a complete checkpoint.
/// </summary>
internal sealed class CheckpointStore
{
    public const string FolderName = "checkpoints";
    private const string LatestFile = "latest.json";
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string BestFile = "best.safetensors";
    private const string StateFile = "state.json";

    private readonly string _root;

    public CheckpointStore(string runDirectory)
    {
        _root = Path.Combine(runDirectory, FolderName);
    }

    public void Save(CheckpointState state, IReadOnlyDictionary<string, Tensor> model, IReadOnlyDictionary<string, Tensor> optimizer,
        IReadOnlyDictionary<string, Tensor> best)
    {
        Directory.CreateDirectory(_root);
        string name = $"epoch-{state.EpochsCompleted:D4}";
        string temp = Path.Combine(_root, "." + name + AtomicFile.TempMarker + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            SafeTensors.Save(Path.Combine(temp, ModelFile), model);
            SafeTensors.Save(Path.Combine(temp, OptimizerFile), optimizer);
            SafeTensors.Save(Path.Combine(temp, BestFile), best);
            File.WriteAllBytes(Path.Combine(temp, StateFile), JsonSerializer.SerializeToUtf8Bytes(state, TrainingJson.Options));
            string final = Path.Combine(_root, name);
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(temp, final);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }

        AtomicFile.Write(Path.Combine(_root, LatestFile), s => JsonSerializer.Serialize(s, new LatestPointer(name), TrainingJson.Options));
        foreach (string old in Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d) != name).ToList())
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>The latest complete checkpoint, or null when there is none. Leftovers of an interrupted write are removed.</summary>
    public LoadedCheckpoint? LoadLatest()
    {
        string pointer = Path.Combine(_root, LatestFile);
        if (!File.Exists(pointer))
        {
            return null;
        }

        foreach (string stale in Directory.EnumerateFileSystemEntries(_root).Where(p => Path.GetFileName(p).Contains(AtomicFile.TempMarker, StringComparison.Ordinal)).ToList())
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
            else
            {
                File.Delete(stale);
            }
        }

        var latest = JsonSerializer.Deserialize<LatestPointer>(File.ReadAllBytes(pointer), TrainingJson.Options)
            ?? throw new InvalidDataException($"{pointer} is empty.");
        string folder = Path.Combine(_root, latest.Checkpoint);
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllBytes(Path.Combine(folder, StateFile)), TrainingJson.Options)
            ?? throw new InvalidDataException($"{folder}/{StateFile} is empty.");
        return new LoadedCheckpoint(state, SafeTensors.Load(Path.Combine(folder, ModelFile)),
            SafeTensors.Load(Path.Combine(folder, OptimizerFile)), SafeTensors.Load(Path.Combine(folder, BestFile)));
    }

    private sealed record LatestPointer(string Checkpoint);
}

/// <summary>A checkpoint read back; the caller copies the tensors where they belong and disposes this.</summary>
internal sealed record LoadedCheckpoint(CheckpointState State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer,
    Dictionary<string, Tensor> Best) : IDisposable
{
    public void Dispose()
    {
        foreach (Tensor t in Model.Values.Concat(Optimizer.Values).Concat(Best.Values))
        {
            t.Dispose();
        }
    }
}
