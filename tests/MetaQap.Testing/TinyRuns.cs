using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Training;

namespace MetaQap.Testing;

/// <summary>CPU-sized runs for the trainer tests: resnet10_w32 at 64 px (or less), a handful of steps.</summary>
public static class TinyRuns
{
    public static TrainingOptions Options(int epochs, int batchSize = 4, int? maxSteps = null, int inputSize = 64) => new()
    {
        Architecture = "resnet10_w32",
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = 1e-3,
        WarmupFraction = 0,
        Patience = 0,
        Seed = 11,
        Threads = 2,
        InputSize = inputSize,
        MaxStepsPerEpoch = maxSteps,
        PrefetchBatches = 2,
    };

    /// <summary>2 dead-leaves contents (one trains, one validates) × 4 types × 3 levels = 12 samples each.</summary>
    public static QualityAwareCorpus Corpus(int size = 64, int contents = 2) => new(new DeadLeavesSource(contents, 7), new QualityAwareCorpusOptions
    {
        Size = size,
        Seed = 3,
        Types = [DistortionType.GaussianBlur, DistortionType.WhiteNoise, DistortionType.Brighten, DistortionType.Pixelate],
        Levels = [1, 3, 5],
        MaxDegreeOfParallelism = 2,
        ChunkSize = 8,
    });

    public static PretrainingOptions Pretraining(TrainingOptions training) => new() { Training = training, ValidationFraction = 0.5 };

    /// <summary>
    /// A MOS folder written for the test: <paramref name="contents"/> dead-leaves scenes × 5 Gaussian-blur levels,
    /// MOS = 1 − (level − 1) / 4 (sharper is better), content group = the scene.
    /// </summary>
    public static Dataset BlurMosFolder(string folder, int contents, int size)
    {
        string images = Path.Combine(folder, "images");
        Directory.CreateDirectory(images);
        var source = new DeadLeavesSource(contents, 5);
        var lines = new List<string> { "image,mos,source" };
        for (int c = 0; c < contents; c++)
        {
            RgbImage pristine = source.Sample(c, size, c).Image;
            for (int level = 1; level <= 5; level++)
            {
                string name = $"c{c:D2}_l{level}.png";
                ImageEncoder.Save(Distorter.Apply(pristine, DistortionType.GaussianBlur, level, c), Path.Combine(images, name));
                lines.Add(FormattableString.Invariant($"{name},{1 - ((level - 1) / 4.0):F2},scene{c}"));
            }
        }

        File.WriteAllLines(Path.Combine(folder, "mos.csv"), lines);
        return DatasetReader.Read(folder);
    }

    public static string TempFolder()
    {
        return Directory.CreateTempSubdirectory("metaqap-train-test-").FullName;
    }
}

/// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
