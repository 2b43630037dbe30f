using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Corpus;

public sealed class CorpusExporterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-export-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Export_writes_images_labels_and_a_manifest_readable_as_a_dataset()
    {
        var corpus = new QualityAwareCorpus(new DeadLeavesSource(2, 5), new QualityAwareCorpusOptions { Size = 48, Seed = 5 });
        string target = Path.Combine(_root, "corpus");

        CorpusExportSummary summary = CorpusExporter.Export(corpus, target, 30);

        Assert.Equal(30, summary.Samples);
        Assert.Equal(30, Directory.GetFiles(Path.Combine(target, "images"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(target, "corpus.json")));
        Assert.Equal(31, File.ReadAllLines(Path.Combine(target, "corpus.csv")).Length);
        Dataset dataset = DatasetReader.Read(target);
        Assert.Equal(30, dataset.Items.Count);
        Assert.All(dataset.Items, item => Assert.InRange(item.Mos, 0, 1));
        Assert.Equal(48, ImageDecoder.DecodeFile(dataset.Items[0].ImagePath).Width);
    }

    [Fact]
    public void Cancelled_export_leaves_nothing_behind()
    {
        var corpus = new QualityAwareCorpus(new DeadLeavesSource(2, 5), new QualityAwareCorpusOptions { Size = 48, Seed = 5 });
        string target = Path.Combine(_root, "cancelled");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(done =>
        {
            if (done == 5)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => CorpusExporter.Export(corpus, target, 100, 0, progress, cancel.Token));

        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Export_refuses_a_non_empty_folder()
    {
        var corpus = new QualityAwareCorpus(new DeadLeavesSource(1, 5), new QualityAwareCorpusOptions { Size = 48 });
        string target = Path.Combine(_root, "busy");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");

        Assert.Throws<IOException>(() => CorpusExporter.Export(corpus, target, 3));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
