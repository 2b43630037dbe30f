namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The built-in recipe configs: every tunable number of the shipped recipes is here. <c>default</c> and
/// <c>biq2021</c> differ only in their name, so that BIQ2021's pretraining is exactly the default recipe's and
/// <c>metaqap recipe biq2021 --pretrained &lt;default ensemble&gt;</c> can skip it.
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
        BaseModels =
        [
            new BaseModelRecipe { Name = "r10a", Architecture = "resnet10_w32", InputSize = 160, Seed = 1 },
            new BaseModelRecipe { Name = "mnv3", Architecture = "mobilenet_v3_small", InputSize = 160, Seed = 2 },
            new BaseModelRecipe { Name = "r10b", Architecture = "resnet10_w32", InputSize = 224, Seed = 3 },
        ],
        Pretraining = new PretrainingRecipe
        {
            SyntheticContents = 64,
            Epochs = 6,
            StepsPerEpoch = 150,
            BatchSize = 32,
            LearningRate = 3e-4,
            DistortionLossWeight = 1.0,
            ValidationFraction = 0.2,
            ValidationSamples = 500,
            Patience = 0,
        },
        HeldOut = new HeldOutRecipe { ContentFraction = 0.2, Samples = 1000, Folds = 5, MetaLearner = EnsembleMethod.Mean },
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

    public static RecipeConfig Biq2021 { get; } = Default with { Name = Biq2021Name };

    /// <summary>The preset called <paramref name="name"/>, or null.</summary>
    public static RecipeConfig? Find(string name) => name switch
    {
        DefaultName => Default,
        Biq2021Name => Biq2021,
        _ => null,
    };
}
