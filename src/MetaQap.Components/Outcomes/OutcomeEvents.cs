using MetaQap.Components.Jobs;
using MetaQap.Contracts;

namespace MetaQap.Components.Outcomes;

/// <summary>The events of stored outcomes and completed jobs, built in this one place from what the store holds.</summary>
public static class OutcomeEvents
{
    /// <summary>An <see cref="ImageScored"/> or an <see cref="ImageScoringFailed"/>.</summary>
    public static object ForImage(StoredOutcome stored, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ImageOutcome o = stored.Outcome;
        if (o.Score is { } score)
        {
            return new ImageScored
            {
                JobId = o.JobId,
                ImageId = o.ImageId,
                Score = score.Score,
                ModelVersion = o.ModelVersion ?? "",
                BaseScores = score.BaseScores,
                Uncertainty = score.Uncertainty,
                Distortions = score.Distortions.Select(d => new DistortionLikelihood { Type = d.Type, Probability = d.Probability }).ToList(),
                ScoredAt = stored.FinishedAt,
                Tags = tags,
            };
        }

        ImageFailure failure = o.Failure ?? throw new ArgumentException("An outcome is a score or a failure.", nameof(stored));
        return new ImageScoringFailed
        {
            JobId = o.JobId,
            ImageId = o.ImageId,
            Code = failure.Code,
            Detail = failure.Detail,
            FailedAt = stored.FinishedAt,
            Tags = tags,
        };
    }

    public static ScoringJobCompleted Completion(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new ScoringJobCompleted
        {
            JobId = job.JobId,
            TotalImages = job.TotalImages,
            ScoredImages = job.ScoredImages,
            FailedImages = job.FailedImages,
            FailuresByCode = job.FailuresByCode,
            Scores = job.Scores,
            ModelVersion = job.ModelVersion,
            CreatedAt = job.CreatedAt,
            CompletedAt = job.CompletedAt,
            Tags = job.Tags,
        };
    }
}
