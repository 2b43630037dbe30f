namespace MetaQap.Cli.Tests;

/// <summary>
/// Tiny runs of the three recipe commands, made once for <see cref="RecipeCommandsTests"/>: a 40-item MOS folder
/// written by `metaqap synth` (48 px distorted dead-leaves crops, pseudo-quality as MOS, content as source), two
/// resnet10_w32 base models at 32 and 40 px, one epoch of 3 pretraining steps and 2 epochs of 3 fine-tuning steps on 2
/// folds, one torch thread. The numbers they give mean nothing; the runs exist to exercise the pipeline.
/// </summary>
public sealed class RecipeRuns : IAsyncLifetime
{
    public const string TinyConfig = """
        {
          "name": "tiny", "seed": 5, "threads": 1,
          "base_models": [
            { "name": "a", "architecture": "resnet10_w32", "input_size": 32, "seed": 1 },
            { "name": "b", "architecture": "resnet10_w32", "input_size": 40, "seed": 2 }
          ],
          "pretraining": { "synthetic_contents": 6, "epochs": 1, "steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003, "validation_samples": 8 },
          "held_out": { "content_fraction": 0.34, "samples": 24, "folds": 2 },
          "fine_tuning": { "folds": 2, "epochs": 2, "max_steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003, "validation_samples": 8 }
        }
        """;

    /// <summary>The BIQ2021 recipe on the ImageNet basis: heads on the frozen resnet18_cntk trunk only, at two views.</summary>
    public const string HeadsConfig = """
        {
          "name": "tiny-heads", "seed": 5, "threads": 1, "budget_minutes": 90,
          "base_models": [],
          "heads": [
            { "name": "ms", "architecture": "resnet18_cntk_ms", "input_size": 32, "view_side": 48 },
            { "name": "pool", "architecture": "resnet18_cntk", "input_size": 32, "view_side": 48, "kind": "mlp", "hidden": 8 },
            { "name": "small", "architecture": "resnet18_cntk_blocks", "input_size": 32, "view_side": 32 }
          ],
          "head_fitting": { "trunk_batch_size": 4, "chunk_size": 16, "epochs": 3, "batch_size": 8 },
          "pretraining": { "synthetic_contents": 6, "epochs": 1, "steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003, "validation_samples": 8 },
          "held_out": { "content_fraction": 0.34, "samples": 24, "folds": 2 },
          "fine_tuning": { "folds": 2, "epochs": 2, "max_steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003, "validation_samples": 8 }
        }
        """;

    public string Root { get; } = Directory.CreateTempSubdirectory("metaqap-recipes-").FullName;

    public string HeadsConfigFile => Path.Combine(Root, "tiny-heads.json");

    public string HeadsRun => Path.Combine(Root, "biq2021-heads");

    public (int Code, string Output, string Error) Heads { get; private set; }

    public string HeadsAblationRun => Path.Combine(Root, "ablation-heads");

    public (int Code, string Output, string Error) HeadsAblation { get; private set; }

    public string Data => Path.Combine(Root, "data");

    public string Config => Path.Combine(Root, "tiny.json");

    public string DefaultRun => Path.Combine(Root, "default");

    public string Biq2021Run => Path.Combine(Root, "biq2021");

    public string AblationRun => Path.Combine(Root, "ablation");

    public (int Code, string Output, string Error) Default { get; private set; }

    public (int Code, string Output, string Error) Biq2021 { get; private set; }

    public (int Code, string Output, string Error) Ablation { get; private set; }

    public async Task InitializeAsync()
    {
        File.WriteAllText(Config, TinyConfig);
        (int code, _, string error) = await CliRunner.RunAsync("synth", "--synthetic", "--contents", "10", "--count", "40", "--size", "48", "--seed", "3", "--out", Data);
        Assert.True(code == 0, error);
        Default = await CliRunner.RunAsync("recipe", "default", "--out", DefaultRun, "--config", Config);
        Biq2021 = await CliRunner.RunAsync("recipe", "biq2021", "--data", Data, "--out", Biq2021Run, "--config", Config);
        Ablation = await CliRunner.RunAsync("ablate", "--data", Data, "--out", AblationRun, "--config", Config, "--recipe-run", Biq2021Run);
        File.WriteAllText(HeadsConfigFile, HeadsConfig);
        Heads = await CliRunner.RunAsync("recipe", "biq2021", "--data", Data, "--out", HeadsRun, "--config", HeadsConfigFile);
        HeadsAblation = await CliRunner.RunAsync("ablate", "--data", Data, "--out", HeadsAblationRun, "--config", HeadsConfigFile, "--recipe-run", HeadsRun);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
