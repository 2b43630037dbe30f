using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Corpus;

/// <summary>What an export wrote.</summary>
public sealed record CorpusExportSummary(string Directory, long Samples, int Contents, TimeSpan Elapsed);

/// <summary>
/// Writes samples of a <see cref="QualityAwareCorpus"/> to a folder: <c>images/*.png</c>, <c>mos.csv</c>
/// (<c>image,mos,source</c> with mos = pseudo-quality / 100, readable as a dataset by the MOS-folder reader),
/// <c>corpus.csv</c> (every label and metric) and <c>corpus.json</c> (how it was made). The folder is built under a
/// temporary name and renamed when complete, so a cancelled or failed export leaves nothing half-written.
/// </summary>
public static class CorpusExporter
{
    public static CorpusExportSummary Export(QualityAwareCorpus corpus, string directory, long count, int epoch = 0,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count > corpus.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"The corpus has {corpus.Count} samples per epoch; {count} requested.");
        }

        string target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"Output folder {target} exists and is not empty.");
        }

        string staging = $"{target.TrimEnd(Path.DirectorySeparatorChar)}.partial-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(staging, "images"));
        var started = DateTime.UtcNow;
        try
        {
            var contents = new HashSet<int>();
            var mos = new StringBuilder("image,mos,source\n");
            var details = new StringBuilder("image,pseudo_quality,distortion,level,content_id,ssim,ms_ssim,gmsd\n");
            long written = 0;
            foreach (CorpusSample sample in corpus.Stream(epoch, cancellationToken))
            {
                if (written == count)
                {
                    break;
                }

                string name = $"{sample.Index:D8}.png";
                File.WriteAllBytes(Path.Combine(staging, "images", name), ImageEncoder.EncodePng(sample.Image));
                string content = Csv(sample.ContentId);
                mos.Append(CultureInfo.InvariantCulture, $"{name},{sample.PseudoQuality / 100.0:F6},{content}\n");
                details.Append(CultureInfo.InvariantCulture,
                    $"{name},{sample.PseudoQuality:F4},{DistortionCatalog.Get(sample.Type).Name},{sample.Level},{content},{sample.Scores.Ssim:F6},{sample.Scores.MsSsim:F6},{sample.Scores.Gmsd:F6}\n");
                contents.Add(sample.ContentIndex);
                written++;
                progress?.Report(written);
            }

            File.WriteAllText(Path.Combine(staging, "mos.csv"), mos.ToString());
            File.WriteAllText(Path.Combine(staging, "corpus.csv"), details.ToString());
            File.WriteAllText(Path.Combine(staging, "corpus.json"), Describe(corpus, written, contents.Count, epoch));
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(staging, target);
            return new CorpusExportSummary(target, written, contents.Count, DateTime.UtcNow - started);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static string Csv(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;

    private static string Describe(QualityAwareCorpus corpus, long samples, int contents, int epoch) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["generator"] = "MetaQap.Imaging.Corpus.QualityAwareCorpus",
            ["pristine_source"] = corpus.Source.Name,
            ["pristine_contents_available"] = corpus.Source.ContentCount,
            ["pristine_contents_used"] = contents,
            ["samples"] = samples,
            ["size"] = corpus.Options.Size,
            ["seed"] = corpus.Options.Seed,
            ["epoch"] = epoch,
            ["distortions"] = corpus.Options.Types.Select(t => DistortionCatalog.Get(t).Name).ToArray(),
            ["levels"] = corpus.Options.Levels.ToArray(),
            ["label"] = "pseudo_quality in [0,100] from SSIM, MS-SSIM and GMSD against the pristine crop (docs/pseudo-quality.md)",
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        }, new JsonSerializerOptions { WriteIndented = true });
}
