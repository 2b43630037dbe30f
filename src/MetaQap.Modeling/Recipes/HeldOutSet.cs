using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Datasets;

namespace MetaQap.Modeling.Recipes;

/// <summary>The exported held-out set: how many distorted samples of how many held-out contents, at what size.</summary>
internal sealed record HeldOutSetOutcome(long Samples, int Contents, int Size);

/// <summary>
/// The default recipe's meta-learner data: a fixed, seeded set of distorted samples of the held-out contents
/// (which pretraining never saw), written as a MOS folder (<c>images/</c>, <c>mos.csv</c> with mos = pseudo-quality / 100
/// and the content as source) so every base model scores them from files exactly as the ensemble scores images.
/// Samples are made at the largest input size; smaller-input models see them resized, as they would in service.
/// </summary>
internal static class HeldOutSet
{
    public static Dataset Build(RecipeRunFolder folder, RecipeConfig config, PretrainingPlan plan, RecipeLog log, CancellationToken cancellationToken)
    {
        string directory = folder.PathOf("heldout", "set");
        string data = Path.Combine(directory, "data");
        WorkUnit.Run(folder, directory, "held-out set", log, dir =>
        {
            // An interrupted export leaves its staging folder (and, just before the result, a complete one): start over.
            foreach (string leftover in Directory.GetDirectories(dir, "data*"))
            {
                Directory.Delete(leftover, recursive: true);
            }

            int size = config.LargestInputSize();
            var corpus = new QualityAwareCorpus(plan.HeldOut, new QualityAwareCorpusOptions
            {
                Size = size,
                Seed = config.Seed,
                MaxDegreeOfParallelism = config.Threads > 0 ? config.Threads : Environment.ProcessorCount,
            });
            if (config.HeldOut.Samples > corpus.Count)
            {
                throw new RecipeException(
                    $"held_out.samples is {config.HeldOut.Samples} but the {plan.HeldOut.ContentCount} held-out contents give only {corpus.Count} samples.");
            }

            CorpusExportSummary summary = CorpusExporter.Export(corpus, data, config.HeldOut.Samples, epoch: 0, cancellationToken: cancellationToken);
            return new HeldOutSetOutcome(summary.Samples, summary.Contents, size);
        });
        return DatasetReader.Read(data);
    }
}
