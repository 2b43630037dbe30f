using System.CommandLine;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Training;

namespace MetaQap.Cli.Commands;

/// <summary>The options <c>pretrain</c> and <c>train</c> share, mapped onto <see cref="TrainingOptions"/>.</summary>
internal sealed class TrainingCliOptions(int defaultEpochs, double defaultLearningRate)
{
    private readonly Option<string> _arch = new("--arch") { Description = "Backbone architecture.", DefaultValueFactory = _ => "resnet10_w32" };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => defaultEpochs };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Images per step (>= 2).", DefaultValueFactory = _ => 16 };
    private readonly Option<double> _lr = new("--lr") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => defaultLearningRate };
    private readonly Option<double> _weightDecay = new("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> _patience = new("--patience") { Description = "Stop after this many epochs without a better validation SROCC (0: never).", DefaultValueFactory = _ => 5 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of initialisation, split, shuffles, augmentation and dropout.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _threads = new("--threads") { Description = "libtorch threads (0: its default).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _size = new("--size") { Description = "Input side in pixels (0: the architecture's).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _steps = new("--steps-per-epoch") { Description = "Cap on steps per epoch (0: the whole training set)." };
    private readonly Option<int> _validation = new("--val-samples") { Description = "Cap on validation images (0: all)." };
    private readonly Option<double> _clip = new("--clip") { Description = "Gradient clipping norm (0: off).", DefaultValueFactory = _ => 1.0 };
    private readonly Option<DirectoryInfo> _output = new("--out") { Description = "Run folder: model.safetensors, training.json, checkpoints/.", Required = true };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run in --out from its last checkpoint." };

    public void AddTo(Command command)
    {
        _arch.AcceptOnlyFromAmong([.. BackboneFactory.Architectures]);
        foreach (Option option in new Option[] { _arch, _epochs, _batch, _lr, _weightDecay, _patience, _seed, _threads, _size, _steps, _validation, _clip, _output, _resume })
        {
            command.Options.Add(option);
        }
    }

    public int Seed(ParseResult parse) => parse.GetValue(_seed);

    public string Output(ParseResult parse) => parse.GetValue(_output)!.FullName;

    public bool Resume(ParseResult parse) => parse.GetValue(_resume);

    /// <summary>The input side: --size, or the architecture's own (built once to ask it).</summary>
    public int InputSize(ParseResult parse)
    {
        int size = parse.GetValue(_size);
        if (size > 0)
        {
            return size;
        }

        using var probe = new QualityModel(parse.GetValue(_arch)!);
        return probe.InputSize;
    }

    public TrainingOptions Build(ParseResult parse)
    {
        int steps = parse.GetValue(_steps), validation = parse.GetValue(_validation);
        var options = new TrainingOptions
        {
            Architecture = parse.GetValue(_arch)!,
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            LearningRate = parse.GetValue(_lr),
            WeightDecay = parse.GetValue(_weightDecay),
            Patience = parse.GetValue(_patience),
            Seed = parse.GetValue(_seed),
            Threads = parse.GetValue(_threads),
            InputSize = InputSize(parse),
            MaxStepsPerEpoch = steps > 0 ? steps : null,
            MaxValidationSamples = validation > 0 ? validation : null,
            GradientClipNorm = parse.GetValue(_clip),
        };
        options.Validate();
        return options;
    }
}
