namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The built-in recipe configs: every tunable number of the shipped recipes is here. <c>biq2021</c> keeps the
/// default's pretraining and fine-tuning sections (a config that adds CNN base models to it pretrains them as the
/// default recipe does, and <c>--pretrained &lt;default ensemble&gt;</c> can skip that), but its own base models are
/// heads on the ImageNet trunk.
/// </summary>
public static class RecipePresets
{
    public const string DefaultName = "default";
    public const string Biq2021Name = "biq2021";

    public static IReadOnlyList<string> Names { get; } = [DefaultName, Biq2021Name];

    public static RecipeConfig Default { get; } = new()
    {
        Name = DefaultName,
        Seed = 20261124,
        Threads = 0,
        BaseModels = [],
        // A 384-px view, not the 512 of BIQ2021's photos: 1.6× the speed (the 10 images/s on 2 cores) and, fitted
        // there, no less accurate zero-shot (0.560 against 0.535 at 512 on biq2021-dev; docs/default-model.md).
        Heads =
        [
            new HeadRecipe { Name = "rank-pool-384", Architecture = "resnet18_cntk", InputSize = 384, ViewSide = 384, Kind = HeadKind.Rank },
        ],
        Ranking = new RankingRecipe { ViewSide = 384, CropSize = 192 },
        Pretraining = new PretrainingRecipe
        {
            SyntheticContents = 0,
            Epochs = 6,
            StepsPerEpoch = 150,
            BatchSize = 32,
            LearningRate = 3e-4,
            DistortionLossWeight = 1.0,
            ValidationFraction = 0.2,
            ValidationSamples = 500,
            Patience = 0,
        },
        HeldOut = new HeldOutRecipe { ContentFraction = 0.2, Samples = 1000, Folds = 5, MetaLearner = EnsembleMethod.Stepwise },
        FineTuning = new FineTuningRecipe
        {
            Folds = 5,
            Epochs = 6,
            MaxStepsPerEpoch = 150,
            BatchSize = 16,
            LearningRate = 1e-4,
            Patience = 2,
            MseWeight = 0.5,
            SroccWeight = 0.5,
            ValidationSamples = null,
            ImageCacheMb = 1024,
        },
    };

    /// <summary>
    /// BIQ2021 on the ImageNet basis: heads on the frozen resnet18_cntk trunk at the images' native 512 px and at
    /// 256 px (the whole image halved), linear (ridge) and two-layer (quality-aware loss) on the pooled, per-stage and
    /// all-block statistics; the stepwise meta-learner keeps what helps. Two trunk passes per image (512 and 256).
    /// </summary>
    public static RecipeConfig Biq2021 { get; } = Default with
    {
        Name = Biq2021Name,
        BudgetMinutes = 90,
        BaseModels = [],
        // As before the default moved to rank heads: CNN base models that a config adds are pretrained on dead leaves too.
        Pretraining = Default.Pretraining with { SyntheticContents = 64 },
        HeldOut = Default.HeldOut with { MetaLearner = EnsembleMethod.Mean },
        Ranking = new RankingRecipe(), // no rank heads here
        Heads =
        [
            new HeadRecipe { Name = "ridge-pool-512", Architecture = "resnet18_cntk", InputSize = 512, ViewSide = 512 },
            new HeadRecipe { Name = "ridge-ms-512", Architecture = "resnet18_cntk_ms", InputSize = 512, ViewSide = 512 },
            new HeadRecipe { Name = "ridge-blocks-512", Architecture = "resnet18_cntk_blocks", InputSize = 512, ViewSide = 512 },
            new HeadRecipe { Name = "mlp-ms-512", Architecture = "resnet18_cntk_ms", InputSize = 512, ViewSide = 512, Kind = HeadKind.Mlp, Seed = 1 },
            new HeadRecipe { Name = "mlp-blocks-512", Architecture = "resnet18_cntk_blocks", InputSize = 512, ViewSide = 512, Kind = HeadKind.Mlp, Seed = 2 },
            new HeadRecipe { Name = "ridge-blocks-256", Architecture = "resnet18_cntk_blocks", InputSize = 256, ViewSide = 256 },
            new HeadRecipe { Name = "mlp-blocks-256", Architecture = "resnet18_cntk_blocks", InputSize = 256, ViewSide = 256, Kind = HeadKind.Mlp, Seed = 3 },
        ],
    };

    /// <summary>The preset called <paramref name="name"/>, or null.</summary>
    public static RecipeConfig? Find(string name) => name switch
    {
        DefaultName => Default,
        Biq2021Name => Biq2021,
        _ => null,
    };
}
