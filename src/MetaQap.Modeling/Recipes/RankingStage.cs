using System.Globalization;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Training;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Recipes;

/// <summary>One resumable chunk of ranking features: how many photos and rows it holds.</summary>
internal sealed record RankingChunk(int Contents, int Rows);

/// <summary>What fitting a rank head gave, for the log and the report.</summary>
/// <param name="TrainAccuracy">Share of the fitting pairs ordered right.</param>
/// <param name="HeldOutAccuracy">The same on the held-out photos' crops, which the fit never saw: the one criterion without opinion scores.</param>
internal sealed record RankHeadOutcome(string Name, string WeightsFile, int Pairs, double TrainAccuracy, double HeldOutAccuracy);

/// <summary>
/// The rank heads of <c>recipe default</c> (<see cref="RankingRecipe"/>): crops of the pretraining photos, each
/// pristine and under every configured distortion type at levels 1–5, go through the frozen ImageNet trunk once
/// (block statistics cached in resumable chunks under <c>ranking/</c>); every rank head is then fitted on its columns
/// with <see cref="PairwiseRanking"/> (seconds) and written as a whole base model (trunk + linear head), a unit of its
/// own under <c>heads/</c>. The held-out photos get one crop each, scored for the pair accuracy only.
/// </summary>
internal static class RankingStage
{
    public const string Folder = "ranking";
    private const string ChunkFile = "features.safetensors";
    private const int TrunkBatch = 8;

    public static IReadOnlyList<RankHeadOutcome> Run(RecipeRunFolder folder, RecipeConfig config, PretrainingPlan plan, string trunkWeights,
        RecipeLog log, CancellationToken cancellationToken)
    {
        RankingRecipe r = config.Ranking;
        int[] columns = [.. config.Heads.SelectMany(h => BlockFeatureLayout.Columns(h.Architecture)).Distinct().Order()];
        // The trunk is loaded only if a chunk still has to be computed (a resumed run may need none).
        var trunk = new Lazy<ResNetCntk>(() => ImageNet.ImageNetTrunk.LoadFrozen(trunkWeights));
        float[][] trainX, heldX;
        RankingRow[] trainRows, heldRows;
        try
        {
            (trainX, trainRows) = Rows(folder, config, plan.Train, "train", r.CropsPerContent, columns, trunk, log, cancellationToken);
            (heldX, heldRows) = Rows(folder, config, plan.HeldOut, "heldout", 1, columns, trunk, log, cancellationToken);
        }
        finally
        {
            if (trunk.IsValueCreated)
            {
                trunk.Value.Dispose();
            }
        }

        var outcomes = new List<RankHeadOutcome>();
        foreach (HeadRecipe head in config.Heads)
        {
            // A unit: a resumed run keeps the head its held-out scores were computed with.
            UnitResult<RankHeadOutcome> unit = WorkUnit.Run(folder, folder.PathOf("heads", head.Name), $"rank head {head.Name}", log, dir =>
            {
                var position = columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
                int[] own = [.. BlockFeatureLayout.Columns(head.Architecture).Select(c => position[c])];
                float[][] x = BlockFeatureLayout.Select(trainX, own);
                RankingFit fit;
                using (TorchThreads.Use(config.Threads))
                {
                    fit = PairwiseRanking.Fit(x, trainRows, r.L2, r.Steps, cancellationToken: cancellationToken);
                }

                double train = PairwiseRanking.Accuracy(Score(fit, x), PairwiseRanking.Pairs(trainRows));
                double held = PairwiseRanking.Accuracy(Score(fit, BlockFeatureLayout.Select(heldX, own)), PairwiseRanking.Pairs(heldRows));
                string weights = HeadStage.WriteWeights(Path.Combine(dir, "model.safetensors"), head,
                    network => network.SetLinearQualityHead(fit.Weights, fit.Bias), trunkWeights);
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"rank head {head.Name}: {fit.Pairs} pairs, pair loss {fit.Loss:F4}, pair accuracy {train:F4} (fitted), {held:F4} (held-out photos)"));
                return new RankHeadOutcome(head.Name, weights, fit.Pairs, train, held);
            });
            outcomes.Add(unit.Value with { WeightsFile = folder.PathOf("heads", head.Name, "model.safetensors") }); // the folder may have moved
        }

        return outcomes;
    }

    private static double[] Score(RankingFit fit, float[][] x) =>
        [.. x.Select(row => fit.Bias + row.Select((v, j) => v * fit.Weights[j]).Sum())];

    /// <summary>Feature rows and their ranking rows for <paramref name="source"/>'s photos, computed chunk by chunk or read back.</summary>
    private static (float[][] X, RankingRow[] Rows) Rows(RecipeRunFolder folder, RecipeConfig config, IPristineSource source, string part,
        int crops, int[] columns, Lazy<ResNetCntk> trunk, RecipeLog log, CancellationToken cancellationToken)
    {
        RankingRecipe r = config.Ranking;
        var corpus = new QualityAwareCorpus(source, new QualityAwareCorpusOptions
        {
            Size = r.CropSize,
            Seed = config.Seed,
            Types = r.Types,
            MaxDegreeOfParallelism = config.Threads > 0 ? config.Threads : Environment.ProcessorCount,
        });
        var x = new List<float[]>();
        var rows = new List<RankingRow>();
        int chunks = (source.ContentCount + r.ChunkContents - 1) / r.ChunkContents;
        for (int c = 0; c < chunks; c++)
        {
            int first = c * r.ChunkContents, count = Math.Min(r.ChunkContents, source.ContentCount - first);
            string directory = folder.PathOf(Folder, part, string.Create(CultureInfo.InvariantCulture, $"chunk-{c + 1:D3}"));
            string label = string.Create(CultureInfo.InvariantCulture, $"ranking features {part} {c + 1}/{chunks}");
            WorkUnit.Run(folder, directory, label, log, dir =>
            {
                using var threads = TorchThreads.Use(config.Threads);
                (float[][] cx, RankingRow[] cr) = Extract(corpus, first, count, crops, columns, trunk.Value, cancellationToken);
                Save(Path.Combine(dir, ChunkFile), cx, cr);
                return new RankingChunk(count, cr.Length);
            });
            (float[][] lx, RankingRow[] lr) = Load(Path.Combine(directory, ChunkFile), columns.Length);
            x.AddRange(lx);
            rows.AddRange(lr);
        }

        return ([.. x], [.. rows]);
    }

    private static (float[][] X, RankingRow[] Rows) Extract(QualityAwareCorpus corpus, int first, int count, int crops, int[] columns,
        ResNetCntk trunk, CancellationToken cancellationToken)
    {
        var extractor = new TrunkFeatureExtractor(trunk);
        var x = new List<float[]>();
        var rows = new List<RankingRow>();
        for (int epoch = 0; epoch < crops; epoch++)
        {
            for (int content = first; content < first + count; content++)
            {
                // One group: the crop of this photo and epoch, and every distortion of it (the corpus makes them from it).
                int group = (epoch * corpus.Source.ContentCount) + content;
                var images = new List<RgbImage> { corpus.PristineOf(content, epoch).Image };
                rows.Add(new RankingRow(group, RankingRow.Pristine, 0));
                foreach (CorpusSample sample in corpus.Stream(corpus.IndicesOf([content]), epoch, cancellationToken))
                {
                    images.Add(sample.Image);
                    rows.Add(new RankingRow(group, (int)sample.Type, sample.Level));
                }

                for (int start = 0; start < images.Count; start += TrunkBatch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    float[][] features = extractor.Extract(images.GetRange(start, Math.Min(TrunkBatch, images.Count - start)));
                    x.AddRange(BlockFeatureLayout.Select(features, columns));
                }
            }
        }

        return ([.. x], [.. rows]);
    }

    private static void Save(string path, float[][] x, RankingRow[] rows)
    {
        int width = x.Length == 0 ? 0 : x[0].Length;
        var flat = new float[x.Length * width];
        var meta = new long[rows.Length * 3];
        for (int i = 0; i < x.Length; i++)
        {
            x[i].CopyTo(flat, i * width);
            (meta[3 * i], meta[(3 * i) + 1], meta[(3 * i) + 2]) = (rows[i].Group, rows[i].Type, rows[i].Level);
        }

        using Tensor features = tensor(flat, [x.Length, width]);
        using Tensor ids = tensor(meta, [rows.Length, 3]);
        AtomicFile.Write(path, s => SafeTensors.Save(s, new Dictionary<string, Tensor> { ["features"] = features, ["rows"] = ids }));
    }

    private static (float[][] X, RankingRow[] Rows) Load(string path, int width)
    {
        using var state = new ImageNet.ImageNetTrunk.StateDict(path);
        Tensor features = state.Tensors["features"], ids = state.Tensors["rows"];
        long n = features.shape[0];
        if (features.shape[1] != width || ids.shape[0] != n)
        {
            throw new RecipeException($"{path} holds [{string.Join(", ", features.shape)}] features; expected {width} columns. Delete its folder to recompute it.");
        }

        float[] flat = features.data<float>().ToArray();
        long[] meta = ids.data<long>().ToArray();
        var x = new float[n][];
        var rows = new RankingRow[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = flat.AsSpan(i * width, width).ToArray();
            rows[i] = new RankingRow((int)meta[3 * i], (int)meta[(3 * i) + 1], (int)meta[(3 * i) + 2]);
        }

        return (x, rows);
    }
}
