using System.CommandLine;
using MetaQap.Contracts;

namespace MetaQap.Cli.Commands;

/// <summary>
/// The options of <c>train submit pretrain|train</c> that map 1:1 onto <see cref="TrainingHyperparameters"/>. None has
/// a default here: an option left out is left out of the message, and the worker applies its documented default.
/// </summary>
internal sealed class HyperparameterOptions
{
    private readonly Option<int?> _epochs = new("--epochs") { Description = "Maximum epochs (worker default: 10 pretraining, 30 fine-tuning)." };
    private readonly Option<int?> _steps = new("--steps-per-epoch") { Description = "Cap on steps per epoch (default: the whole training set)." };
    private readonly Option<int?> _batch = new("--batch-size") { Description = "Images per step, >= 2 (default 16)." };
    private readonly Option<double?> _lr = new("--lr") { Description = "Peak learning rate (default: 3e-4 pretraining, 1e-4 fine-tuning)." };
    private readonly Option<double?> _weightDecay = new("--weight-decay") { Description = "Decoupled weight decay (default 0.01)." };
    private readonly Option<int?> _patience = new("--patience") { Description = "Epochs without a better validation SROCC before stopping; 0 never stops early (default 5)." };
    private readonly Option<int?> _seed = new("--seed") { Description = "Seed of initialisation, folds, shuffles, augmentation and dropout (default 0)." };
    private readonly Option<int?> _validation = new("--val-samples") { Description = "Cap on validation images per epoch (default: all)." };
    private readonly Option<double?> _mse = new("--mse-weight") { Description = "λ1 of the quality-aware loss, MSE (default 0.5)." };
    private readonly Option<double?> _srocc = new("--srocc-weight") { Description = "λ2 of the quality-aware loss, 1 − soft SROCC (default 0.5)." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _epochs, _steps, _batch, _lr, _weightDecay, _patience, _seed, _validation, _mse, _srocc })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The hyperparameters given (null when none was), or the first one out of range.</summary>
    public TrainingHyperparameters? Build(ParseResult parse, out string? problem)
    {
        var h = new TrainingHyperparameters
        {
            Epochs = parse.GetValue(_epochs),
            StepsPerEpoch = parse.GetValue(_steps),
            BatchSize = parse.GetValue(_batch),
            LearningRate = parse.GetValue(_lr),
            WeightDecay = parse.GetValue(_weightDecay),
            Patience = parse.GetValue(_patience),
            Seed = parse.GetValue(_seed),
            ValidationSamples = parse.GetValue(_validation),
            MseWeight = parse.GetValue(_mse),
            SroccWeight = parse.GetValue(_srocc),
        };
        problem = h switch
        {
            { Epochs: < 1 } => "--epochs must be at least 1.",
            { StepsPerEpoch: < 1 } => "--steps-per-epoch must be at least 1.",
            { BatchSize: < 2 } => "--batch-size must be at least 2 (the SROCC term needs a ranking).",
            { LearningRate: { } lr } when !(lr > 0 && double.IsFinite(lr)) => "--lr must be a positive number.",
            { WeightDecay: { } wd } when !(wd >= 0 && double.IsFinite(wd)) => "--weight-decay must be 0 or more.",
            { Patience: < 0 } => "--patience must be 0 or more.",
            { ValidationSamples: < 1 } => "--val-samples must be at least 1.",
            { MseWeight: { } w } when !(w >= 0 && double.IsFinite(w)) => "--mse-weight must be 0 or more.",
            { SroccWeight: { } w } when !(w >= 0 && double.IsFinite(w)) => "--srocc-weight must be 0 or more.",
            { MseWeight: 0, SroccWeight: 0 } => "--mse-weight and --srocc-weight cannot both be 0.",
            _ => null,
        };
        return h == new TrainingHyperparameters() ? null : h;
    }
}
