using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Corpus;

/// <summary>
/// The quality-aware corpus of MetaQAP: pristine contents × distortion types × levels, generated on the fly.
/// Sample <c>index</c> is content <c>index / (types·levels)</c>, then type, then level; it is a pure function of
/// (options, source, epoch, index), so epochs stream without any file on disk and any sample can be regenerated.
/// Within an epoch every distortion of a content starts from the same pristine crop; the next epoch takes a new crop.
/// </summary>
public sealed class QualityAwareCorpus
{
    private readonly IPristineSource _source;
    private readonly QualityAwareCorpusOptions _options;

    public QualityAwareCorpus(IPristineSource source, QualityAwareCorpusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new QualityAwareCorpusOptions();
        options.Validate();
        if (source.ContentCount <= 0)
        {
            throw new ArgumentException($"The pristine source '{source.Name}' has no content.", nameof(source));
        }

        _source = source;
        _options = options;
    }

    public QualityAwareCorpusOptions Options => _options;

    public IPristineSource Source => _source;

    public int SamplesPerContent => _options.Types.Count * _options.Levels.Count;

    /// <summary>Samples in one epoch: every content with every type at every level.</summary>
    public long Count => (long)_source.ContentCount * SamplesPerContent;

    public CorpusSample Generate(long index, int epoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

        int content = (int)(index / SamplesPerContent);
        int within = (int)(index % SamplesPerContent);
        DistortionType type = _options.Types[within / _options.Levels.Count];
        int level = _options.Levels[within % _options.Levels.Count];

        PristineSample pristine = PristineOf(content, epoch);
        var distorted = Distorter.Apply(pristine.Image, type, level, SeedMixer.Mix(_options.Seed, epoch, index, 2));
        FullReferenceScores scores = FullReferenceMetrics.Measure(pristine.Image, distorted);
        return new CorpusSample(index, distorted, PseudoQuality.FromScores(scores), type, level, content, pristine.ContentId, scores);
    }

    /// <summary>
    /// The pristine crop that every sample of <paramref name="content"/> in <paramref name="epoch"/> is a distortion
    /// of (one crop per content and epoch), for losses that compare a sample with its own reference.
    /// </summary>
    public PristineSample PristineOf(int content, int epoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(content);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(content, _source.ContentCount);
        return _source.Sample(content, _options.Size, SeedMixer.Mix(_options.Seed, epoch, content, 1));
    }

    /// <summary>The sample indices of the given contents, for content-disjoint train/validation splits.</summary>
    public long[] IndicesOf(IEnumerable<int> contentIndices)
    {
        ArgumentNullException.ThrowIfNull(contentIndices);
        var indices = new List<long>();
        foreach (int content in contentIndices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(content);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(content, _source.ContentCount);
            long first = (long)content * SamplesPerContent;
            for (int i = 0; i < SamplesPerContent; i++)
            {
                indices.Add(first + i);
            }
        }

        return [.. indices];
    }

    /// <summary>
    /// Splits the contents (not the samples) into train and validation sets, so no pristine content is in both.
    /// </summary>
    public (int[] Train, int[] Validation) SplitContents(double validationFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(validationFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationFraction, 1.0);
        int[] contents = Enumerable.Range(0, _source.ContentCount).ToArray();
        new Random(seed).Shuffle(contents);
        int validation = (int)Math.Round(contents.Length * validationFraction);
        if (validationFraction > 0 && validation == 0 && contents.Length > 1)
        {
            validation = 1;
        }

        return (contents[validation..], contents[..validation]);
    }

    /// <summary>A whole epoch in a seeded random order.</summary>
    public IEnumerable<CorpusSample> Stream(int epoch, CancellationToken cancellationToken = default)
    {
        var order = new long[Count];
        for (long i = 0; i < order.LongLength; i++)
        {
            order[i] = i;
        }

        new Random(SeedMixer.Mix(_options.Seed, epoch, -1, 3)).Shuffle(order);
        return Stream(order, epoch, cancellationToken);
    }

    /// <summary>
    /// The given samples, in the given order. Chunks are generated in parallel and the next chunk is produced while
    /// the caller consumes the current one, so a trainer never waits for the generator when it keeps up.
    /// </summary>
    public IEnumerable<CorpusSample> Stream(IReadOnlyList<long> indices, int epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return StreamChunks(indices, epoch, cancellationToken);
    }

    private IEnumerable<CorpusSample> StreamChunks(IReadOnlyList<long> indices, int epoch,
        CancellationToken cancellationToken)
    {
        int chunk = _options.ChunkSize;
        Task<CorpusSample[]>? next = indices.Count > 0 ? GenerateChunkAsync(indices, 0, epoch, cancellationToken) : null;
        for (int start = 0; next is not null; start += chunk)
        {
            CorpusSample[] current = next.GetAwaiter().GetResult();
            next = start + chunk < indices.Count ? GenerateChunkAsync(indices, start + chunk, epoch, cancellationToken) : null;
            foreach (CorpusSample sample in current)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return sample;
            }
        }
    }

    private Task<CorpusSample[]> GenerateChunkAsync(IReadOnlyList<long> indices, int start, int epoch, CancellationToken cancellationToken)
    {
        int count = Math.Min(_options.ChunkSize, indices.Count - start);
        return Task.Run(() =>
        {
            var samples = new CorpusSample[count];
            Parallel.For(0, count,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
                i => samples[i] = Generate(indices[start + i], epoch));
            return samples;
        }, cancellationToken);
    }
}
