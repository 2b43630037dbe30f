using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Features;

/// <summary>How an MLP quality head is trained on cached features.</summary>
public sealed record MlpHeadOptions
{
    public int Hidden { get; init; } = 512;

    public int Epochs { get; init; } = 40;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Dropout on the (standardised) input features, then on the hidden units, in training only.</summary>
    public double InputDropout { get; init; } = 0.1;

    public double HiddenDropout { get; init; } = 0.3;

    /// <summary>The loss: the quality-aware loss of the recipe (λ1·MSE + λ2·(1 − soft SROCC)) on MOS in [0, 1].</summary>
    public QualityAwareLossOptions Loss { get; init; } = new();

    public int Seed { get; init; }
}

/// <summary>
/// A two-layer quality head (features → <see cref="MlpHeadOptions.Hidden"/> ReLU units → score) trained on cached
/// frozen-trunk features with the quality-aware loss: AdamW, one-cycle learning rate (linear warm-up over the first
/// tenth, cosine decay), gradient norm clipped at 1, seeded. The features are standardised on the training rows and
/// the standardisation is then folded into the first layer, so the head is a plain MLP of the raw features that a
/// <see cref="QualityModel"/> with <c>qualityHidden</c> holds as it is.
/// </summary>
public sealed class MlpHead : IDisposable
{
    private readonly Sequential _network;

    private MlpHead(Sequential network) => _network = network;

    public static MlpHead Train(float[][] x, double[] y, MlpHeadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException($"An MLP head needs at least 2 rows and one target per row ({x.Length} rows, {y.Length} targets).", nameof(y));
        }

        int n = x.Length, d = x[0].Length;
        torch.manual_seed(options.Seed);
        var network = Sequential(
            ("0", Linear(d, options.Hidden)), ("1", ReLU()), ("2", Dropout(options.HiddenDropout)), ("3", Linear(options.Hidden, 1)));
        using var inputDropout = Dropout(options.InputDropout);
        var loss = new QualityAwareLoss(options.Loss);
        using Tensor raw = Matrix(x);
        using Tensor mean = raw.mean([0]);
        using Tensor std = StdOrOne(raw);
        using Tensor standardised = (raw - mean) / std;
        using Tensor target = tensor(y.Select(v => (float)v).ToArray());
        // torch.optim.AdamW's defaults (β 0.9/0.999, ε 1e-8); MetaQAP's own AdamW, whose Scalars outlive their native calls.
        using var optimizer = new AdamWOptimizer(network.named_parameters(), 0.9, 0.999, 1e-8, options.WeightDecay);
        int batches = (n + options.BatchSize - 1) / options.BatchSize;
        int steps = Math.Max(1, options.Epochs * batches), step = 0;
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(options.Seed);
        network.train();
        inputDropout.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (int b = 0; b < batches; b++, step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * options.BatchSize, count = Math.Min(options.BatchSize, n - start);
                if (count < 2)
                {
                    continue; // a rank correlation needs two rows
                }

                using var scope = NewDisposeScope();
                Tensor index = tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray());
                Tensor output = network.forward(inputDropout.forward(standardised.index_select(0, index))).squeeze(1);
                Tensor value = loss.Compute(output, target.index_select(0, index));
                optimizer.ZeroGrad();
                value.backward();
                nn.utils.clip_grad_norm_(network.parameters(), 1.0);
                optimizer.LearningRate = Schedule(options.LearningRate, step, steps);
                optimizer.Step();
            }
        }

        network.eval();
        FoldStandardisation(network, mean, std);
        return new MlpHead(network);
    }

    /// <summary>The head's score (MOS units, [0, 1] scale) of raw feature rows.</summary>
    public double[] Predict(float[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor output = _network.forward(Matrix(x)).squeeze(1).to(float64);
        return output.data<double>().ToArray();
    }

    /// <summary>Copies the head into <paramref name="model"/>'s quality head (an MLP of the same size) and zeroes its distortion head.</summary>
    public void CopyInto(QualityModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        var source = _network.state_dict();
        foreach ((string key, Tensor destination) in model.QualityHead.state_dict())
        {
            destination.copy_(source[key]);
        }

        model.ZeroDistortionHead();
    }

    public void Dispose() => _network.Dispose();

    private static double Schedule(double peak, int step, int steps)
    {
        int warmup = Math.Max(1, steps / 10);
        if (step < warmup)
        {
            return peak * (step + 1) / warmup;
        }

        double progress = (double)(step - warmup) / Math.Max(1, steps - warmup);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>W·((x − μ)/σ) + b = (W/σ)·x + (b − (W/σ)·μ).</summary>
    private static void FoldStandardisation(Sequential network, Tensor mean, Tensor std)
    {
        using var noGrad = no_grad();
        var first = (Linear)network.children().First();
        using Tensor scaled = first.weight! / std;
        using Tensor shift = scaled.matmul(mean);
        first.weight.copy_(scaled);
        first.bias!.sub_(shift);
    }

    private static Tensor StdOrOne(Tensor raw)
    {
        using Tensor std = raw.std(0, unbiased: false);
        using Tensor positive = std.GreaterThan(1e-6);
        using Tensor one = ones_like(std);
        return where(positive, std, one);
    }

    private static Tensor Matrix(float[][] rows)
    {
        int d = rows[0].Length;
        var flat = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(flat, i * d);
        }

        return tensor(flat, [rows.Length, d]);
    }
}
