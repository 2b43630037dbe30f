using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Corpus;

public sealed class QualityAwareCorpusTests
{
    private static QualityAwareCorpus Small(int seed = 3, int contents = 2) =>
        new(new DeadLeavesSource(contents, seed), new QualityAwareCorpusOptions { Size = 64, Seed = seed, ChunkSize = 8 });

    [Fact]
    public void An_epoch_is_every_content_with_every_type_at_every_level()
    {
        QualityAwareCorpus corpus = Small();

        Assert.Equal(2 * 25 * 5, corpus.Count);
        var seen = corpus.Stream(epoch: 0).Select(s => (s.ContentIndex, s.Type, s.Level)).ToHashSet();
        Assert.Equal(250, seen.Count);
    }

    [Fact]
    public void Every_sample_of_a_content_and_epoch_is_a_distortion_of_its_pristine_crop()
    {
        QualityAwareCorpus corpus = Small();

        foreach (long index in new long[] { 0, 57, 124, 125, 249 })
        {
            CorpusSample sample = corpus.Generate(index, epoch: 1);
            PristineSample pristine = corpus.PristineOf(sample.ContentIndex, epoch: 1);

            // The sample's full-reference scores were measured against exactly that crop.
            Assert.Equal(sample.Scores, MetaQap.Imaging.Metrics.FullReferenceMetrics.Measure(pristine.Image, sample.Image));
            Assert.Equal(sample.ContentId, pristine.ContentId);
        }

        Assert.NotEqual(corpus.PristineOf(0, epoch: 1).Image.Data, corpus.PristineOf(0, epoch: 2).Image.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => corpus.PristineOf(2));
    }

    [Fact]
    public void Samples_are_a_pure_function_of_seed_epoch_and_index()
    {
        CorpusSample a = Small().Generate(137, epoch: 2);
        CorpusSample b = Small().Generate(137, epoch: 2);
        CorpusSample otherEpoch = Small().Generate(137, epoch: 3);

        Assert.Equal(a.Image.Data, b.Image.Data);
        Assert.Equal(a.PseudoQuality, b.PseudoQuality);
        Assert.NotEqual(a.Image.Data, otherEpoch.Image.Data);
    }

    [Fact]
    public void Streaming_in_parallel_gives_the_same_samples_as_generating_one_by_one()
    {
        QualityAwareCorpus corpus = Small();
        long[] indices = [5, 77, 3, 249, 0, 128, 64, 200, 11, 12, 13];

        CorpusSample[] streamed = corpus.Stream(indices, epoch: 1).ToArray();

        Assert.Equal(indices, streamed.Select(s => s.Index));
        foreach (CorpusSample sample in streamed)
        {
            Assert.Equal(corpus.Generate(sample.Index, 1).Image.Data, sample.Image.Data);
        }
    }

    [Fact]
    public void Epoch_order_is_shuffled_and_reproducible()
    {
        long[] first = Small().Stream(0).Select(s => s.Index).ToArray();
        long[] again = Small().Stream(0).Select(s => s.Index).ToArray();
        long[] next = Small().Stream(1).Select(s => s.Index).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.NotEqual(first.Order().ToArray(), first);
    }

    [Fact]
    public void Labels_are_in_range_and_samples_have_the_requested_size()
    {
        foreach (CorpusSample sample in Small().Stream(0).Take(60))
        {
            Assert.Equal(64, sample.Image.Width);
            Assert.Equal(64, sample.Image.Height);
            Assert.InRange(sample.PseudoQuality, 0, 100);
            Assert.All(sample.Image.Data, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Heavier_levels_get_lower_pseudo_quality_on_average()
    {
        QualityAwareCorpus corpus = Small(contents: 3);
        var byLevel = corpus.Stream(0)
            .Where(s => DistortionCatalog.Get(s.Type).QualityFallsWithLevel)
            .GroupBy(s => s.Level)
            .ToDictionary(g => g.Key, g => g.Average(s => s.PseudoQuality));

        for (int level = 2; level <= 5; level++)
        {
            Assert.True(byLevel[level] < byLevel[level - 1], $"level {level}: {byLevel[level]:F1} vs {byLevel[level - 1]:F1}");
        }
    }

    [Fact]
    public void Content_split_is_disjoint_and_indices_follow_contents()
    {
        QualityAwareCorpus corpus = Small(contents: 10);

        (int[] train, int[] validation) = corpus.SplitContents(0.2, seed: 1);
        long[] validationIndices = corpus.IndicesOf(validation);

        Assert.Equal(2, validation.Length);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(10, train.Length + validation.Length);
        Assert.Equal(2 * 125, validationIndices.Length);
        Assert.All(corpus.Stream(validationIndices, 0), s => Assert.Contains(s.ContentIndex, validation));
    }

    [Fact]
    public void Options_are_validated()
    {
        var source = new DeadLeavesSource(1, 1);

        Assert.Throws<ArgumentException>(() => new QualityAwareCorpus(source, new QualityAwareCorpusOptions { Levels = [0, 1] }));
        Assert.Throws<ArgumentException>(() => new QualityAwareCorpus(source, new QualityAwareCorpusOptions { Types = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QualityAwareCorpus(source, new QualityAwareCorpusOptions { Size = 8 }));
    }
}
