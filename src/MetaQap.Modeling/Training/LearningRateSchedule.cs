namespace MetaQap.Modeling.Training;

/// <summary>
/// Linear warm-up from 0 to the peak, then a cosine decay to <c>peak × minFactor</c> at the last step. A pure
/// function of the step, so resuming needs only the step count, not a scheduler object's state.
/// </summary>
public sealed record LearningRateSchedule(double Peak, long TotalSteps, long WarmupSteps, double MinFactor)
{
    public static LearningRateSchedule Create(TrainingOptions options, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        long warmup = (long)Math.Round(totalSteps * options.WarmupFraction);
        return new LearningRateSchedule(options.LearningRate, totalSteps, warmup, options.MinLearningRateFactor);
    }

    /// <summary>The learning rate of step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            return Peak * (step + 1) / WarmupSteps;
        }

        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return Peak * (MinFactor + ((1 - MinFactor) * cosine));
    }
}
