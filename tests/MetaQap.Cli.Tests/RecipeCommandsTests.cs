using System.Text.Json;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Recipes;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Cli.Tests;

/// <summary>`metaqap recipe default|biq2021` and `metaqap ablate` end to end on tiny configs (see <see cref="RecipeRuns"/>).</summary>
public sealed class RecipeCommandsTests(RecipeRuns runs) : IClassFixture<RecipeRuns>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("metaqap-recipe-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Show_prints_each_preset_as_a_config_that_loads_back()
    {
        foreach (string name in new[] { "default", "biq2021" })
        {
            (int code, string output, string error) = await CliRunner.RunAsync("recipe", "show", name);

            Assert.True(code == 0, error);
            string file = Path.Combine(_scratch, name + ".json");
            File.WriteAllText(file, output);
            RecipeConfig config = RecipeConfig.Load(file);
            Assert.Equal(name, config.Name);
            Assert.Equal(RecipePresets.Find(name)!.ToJson(), config.ToJson());
        }
    }

    [Fact]
    public void Default_recipe_ensemble_loads_and_scores_images_on_the_0_to_100_scale()
    {
        Assert.True(runs.Default.Code == 0, runs.Default.Error);
        string ensemble = Path.Combine(runs.DefaultRun, "ensemble");

        EnsembleManifest manifest = EnsembleArtifact.Load(ensemble);
        using EnsemblePredictor predictor = EnsemblePredictor.Load(ensemble, new PredictorOptions { Threads = 1 });
        RgbImage[] images = [.. Directory.GetFiles(Path.Combine(runs.Data, "images")).Order(StringComparer.Ordinal).Take(3).Select(f => ImageDecoder.DecodeFile(f))];
        IReadOnlyList<ImageScore> scores = predictor.Score(images);

        Assert.Equal(["a", "b"], manifest.BaseModels.Select(m => m.Name));
        Assert.Equal([32, 40], manifest.BaseModels.Select(m => m.InputSize));
        Assert.Equal(3, scores.Count);
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 100));
        Assert.Empty(Directory.GetDirectories(runs.DefaultRun, ".*")); // the temporary build folder was renamed
    }

    [Fact]
    public async Task Default_recipe_ships_the_mean_when_asked_and_still_reports_the_stepwise_fit()
    {
        string config = Path.Combine(_scratch, "mean.json");
        File.WriteAllText(config, RecipeRuns.TinyConfig.Replace("\"folds\": 2 },", "\"folds\": 2, \"meta_learner\": \"mean\" },", StringComparison.Ordinal));
        string run = Path.Combine(_scratch, "mean-run");

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "default", "--out", run, "--config", config);

        Assert.True(code == 0, error);
        Assert.Equal(MetaLearnerMethods.Mean, EnsembleArtifact.Load(Path.Combine(run, "ensemble")).MetaLearner.Method);
        Assert.Equal(MetaLearnerMethods.StepwiseOls, EnsembleArtifact.Load(Path.Combine(runs.DefaultRun, "ensemble")).MetaLearner.Method);
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("stepwise meta-learner, not shipped", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_recipe_manifest_records_recipe_command_data_commit_and_held_out_metrics()
    {
        EnsembleManifest manifest = EnsembleArtifact.Load(Path.Combine(runs.DefaultRun, "ensemble"));

        Assert.Equal("tiny", manifest.Provenance.Recipe);
        Assert.Equal(5, manifest.Provenance.Seed);
        Assert.StartsWith("metaqap recipe default --out ", manifest.Provenance.Command, StringComparison.Ordinal);
        Assert.Contains(manifest.Provenance.TrainingData, d => d.StartsWith("synthetic dead-leaves (project-generated): 6 contents", StringComparison.Ordinal));
        Assert.Matches("^([0-9a-f]{40}|unknown)$", manifest.Provenance.GitCommit);
        Assert.Contains("wall time", manifest.Provenance.Notes, StringComparison.Ordinal);
        foreach (string key in new[] { "heldout_rmse", "heldout_a_rmse", "heldout_b_rmse", "heldout_cv_rmse", "heldout_cv_rmse_std" })
        {
            Assert.True(manifest.Metrics.ContainsKey(key), key);
        }

        Assert.Equal(RecipeConfig.Load(runs.Config).ToJson(), File.ReadAllText(Path.Combine(runs.DefaultRun, "recipe.json")));
        Assert.Equal(25, File.ReadAllLines(Path.Combine(runs.DefaultRun, DefaultRecipe.HeldOutTableFile)).Length); // header + 24 held-out samples
    }

    [Fact]
    public async Task Default_recipe_with_photos_names_the_folder_the_file_count_and_the_exclusions()
    {
        string photos = Path.Combine(_scratch, "photos");
        Directory.CreateDirectory(photos);
        for (int i = 0; i < 3; i++)
        {
            ImageEncoder.Save(Photo(64 + (8 * i), 56, i), Path.Combine(photos, $"p{i}.png"));
        }

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "default", "--out", Path.Combine(_scratch, "run"), "--config", runs.Config,
            "--photos", photos, "--exclude", "p2.png");

        Assert.True(code == 0, error);
        EnsembleManifest manifest = EnsembleArtifact.Load(Path.Combine(_scratch, "run", "ensemble"));
        Assert.Contains(manifest.Provenance.TrainingData, d => d.StartsWith($"photos: {photos} (2 files, excluding p2.png)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Biq2021_recipe_ensemble_is_accepted_by_eval()
    {
        Assert.True(runs.Biq2021.Code == 0, runs.Biq2021.Error);

        (int code, string output, string error) = await CliRunner.RunAsync("eval", "--model", Path.Combine(runs.Biq2021Run, "ensemble"), "--dataset", runs.Data,
            "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Contains("n        40", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Biq2021_report_has_per_fold_metrics_and_nested_cross_validation_of_the_meta_learner()
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.Biq2021Run, RecipeReportWriter.JsonFile)));
        JsonElement root = report.RootElement;
        EnsembleManifest manifest = EnsembleArtifact.Load(Path.Combine(runs.Biq2021Run, "ensemble"));

        Assert.Equal(2, root.GetProperty("base_models").GetArrayLength());
        foreach (JsonElement model in root.GetProperty("base_models").EnumerateArray())
        {
            Assert.Equal(2, model.GetProperty("folds").GetArrayLength());
            Assert.Equal(40, model.GetProperty("folds").EnumerateArray().Sum(f => f.GetProperty("metrics").GetProperty("n").GetInt32()));
            Assert.InRange(model.GetProperty("final_epochs").GetInt32(), 1, 2);
        }

        JsonElement nested = root.GetProperty("meta_learner").GetProperty("nested_cross_validation");
        Assert.Equal(2, nested.GetProperty("folds").GetArrayLength());
        Assert.All(nested.GetProperty("folds").EnumerateArray(), f => Assert.NotEqual(0, f.GetProperty("models").GetArrayLength()));
        Assert.True(nested.GetProperty("srocc").GetProperty("std").ValueKind == JsonValueKind.Number
            || nested.GetProperty("srocc").GetProperty("std").GetString() == "NaN");
        foreach (string key in new[] { "cv_rmse", "cv_rmse_std", "oof_rmse", "cv_a_srocc", "cv_b_srocc" })
        {
            Assert.True(manifest.Metrics.ContainsKey(key), key);
        }

        Assert.StartsWith("metaqap recipe biq2021 --data ", manifest.Provenance.Command, StringComparison.Ordinal);
        Assert.Contains(manifest.Provenance.TrainingData, d => d.StartsWith("dataset: data at ", StringComparison.Ordinal));
        Assert.Equal(41, File.ReadAllLines(Path.Combine(runs.Biq2021Run, Biq2021Recipe.OutOfFoldFile)).Length);
        Assert.True(new FileInfo(Path.Combine(runs.Biq2021Run, RecipeReportWriter.ScatterFile)).Length > 1000);
        string markdown = File.ReadAllText(Path.Combine(runs.Biq2021Run, RecipeReportWriter.MarkdownFile));
        Assert.Contains("nested cross-validation", markdown, StringComparison.Ordinal);

        // The nested folds' PLCC after the logistic mapping, summarised in the markdown as mean ± std.
        MeanStd logistic = MeanStd.Of(nested.GetProperty("folds").EnumerateArray()
            .Select(f => f.GetProperty("metrics").GetProperty("plcc_logistic").GetDouble()));
        Assert.Contains($"| {logistic.Format()} |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Ablation_table_has_every_row_the_command_the_machine_and_a_plot_per_row()
    {
        Assert.True(runs.Ablation.Code == 0, runs.Ablation.Error);
        string[] lines = File.ReadAllLines(Path.Combine(runs.AblationRun, AblationReportWriter.MarkdownFile));
        string table = string.Join('\n', lines.TakeWhile(l => !l.StartsWith("Per fold", StringComparison.Ordinal)));

        foreach (string row in new[]
        {
            "| 1 | from scratch, MSE loss | a |", "| 1 | from scratch, MSE loss | b |",
            "| 2 | from scratch, quality-aware loss | a |", "| 2 | from scratch, quality-aware loss | b |",
            "| 3 | quality-aware pretraining + quality-aware loss | a |", "| 3 | quality-aware pretraining + quality-aware loss | b |",
            "| 4 | ensemble of (3): plain average |", "| 4 | ensemble of (3): best single model", "| 4 | ensemble of (3): stepwise meta-learner",
        })
        {
            Assert.Contains(row, table, StringComparison.Ordinal);
        }

        Assert.Contains("`metaqap ablate --data ", table, StringComparison.Ordinal);
        Assert.Contains($"nproc {Environment.ProcessorCount}", table, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("| 3b: fine-tuning from it |", StringComparison.Ordinal) && l.Contains("reused from", StringComparison.Ordinal));
        Assert.Matches(@"\| 4 \| ensemble of \(3\): stepwise meta-learner \(fitted on the other folds\) \| fold 1: [ab](, [ab])?; fold 2: ", table);
        Assert.Equal(9, Directory.GetFiles(runs.AblationRun, "scatter-*.png").Length);
        Assert.False(Directory.Exists(Path.Combine(runs.AblationRun, "folds"))); // group 3 came from the recipe run
    }

    [Fact]
    public void ImageNet_heads_recipe_yields_an_ensemble_that_scores_with_one_trunk_pass_per_view()
    {
        Assert.True(runs.Heads.Code == 0, runs.Heads.Error + runs.Heads.Output);
        string ensemble = Path.Combine(runs.HeadsRun, "ensemble");
        EnsembleManifest manifest = EnsembleArtifact.Load(ensemble);

        Assert.Equal(["ms", "pool", "small"], manifest.BaseModels.Select(m => m.Name));
        Assert.Equal(["resnet18_cntk_ms", "resnet18_cntk", "resnet18_cntk_blocks"], manifest.BaseModels.Select(m => m.Architecture));
        Assert.Equal([48, 48, 32], manifest.BaseModels.Select(m => m.ViewSide ?? 0));
        Assert.All(manifest.BaseModels, m => Assert.Equal(123.1516307762691 / 255, m.NormalizationMean[0], 12));
        Assert.All(manifest.BaseModels, m => Assert.Empty(m.DistortionLabels));
        Assert.Contains(manifest.Provenance.TrainingData, d => d.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1", StringComparison.Ordinal)
            && d.Contains("e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f", StringComparison.Ordinal));
        Assert.Equal(41, File.ReadAllLines(Path.Combine(runs.HeadsRun, Biq2021Recipe.OutOfFoldFile)).Length);
        // 40 items in chunks of 16, at two views: 3 + 3 resumable feature units.
        Assert.Equal(6, Directory.GetFiles(Path.Combine(runs.HeadsRun, "features"), "result.json", SearchOption.AllDirectories).Length);

        using EnsemblePredictor predictor = EnsemblePredictor.Load(ensemble, new PredictorOptions { Threads = 1 });
        RgbImage[] images = [.. Directory.GetFiles(Path.Combine(runs.Data, "images")).Order(StringComparer.Ordinal).Take(3).Select(f => ImageDecoder.DecodeFile(f))];
        Assert.All(predictor.Score(images), s => Assert.InRange(s.Score, 0, 100));
    }

    [Fact]
    public void ImageNet_ablation_has_the_linear_mse_quality_aware_and_ensemble_rows_with_their_times()
    {
        Assert.True(runs.HeadsAblation.Code == 0, runs.HeadsAblation.Error + runs.HeadsAblation.Output);
        string table = File.ReadAllText(Path.Combine(runs.HeadsAblationRun, AblationReportWriter.MarkdownFile));

        foreach (string row in new[]
        {
            "| 1 | frozen ImageNet trunk + linear head (ridge): resnet18_cntk_ms at 32 px | ms |",
            "| 1 | frozen ImageNet trunk + linear head (ridge): resnet18_cntk_blocks at 32 px | small |",
            "| 2 | frozen trunk + two-layer head, MSE loss: resnet18_cntk at 32 px | pool |",
            "| 3 | frozen trunk + two-layer head, quality-aware loss: resnet18_cntk at 32 px | pool |",
            "| 4 | ensemble of (1) and (3): plain average |", "| 4 | ensemble of (1) and (3): best single head", "| 4 | ensemble of (1) and (3): stepwise meta-learner",
        })
        {
            Assert.Contains(row, table, StringComparison.Ordinal);
        }

        Assert.Contains("| (2) two-layer heads with the MSE loss |", table, StringComparison.Ordinal);
        // The MSE heads' folds are resumable units of the ablation's own folder, as the recipe's heads are of its run.
        Assert.True(File.Exists(Path.Combine(runs.HeadsAblationRun, "heads", "pool", "fold-2", "result.json")));
        Assert.Contains("reused from", table, StringComparison.Ordinal);
        // The quality-aware rows are the recipe's own out-of-fold predictions, not a refit.
        using JsonDocument ablation = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.HeadsAblationRun, AblationReportWriter.JsonFile)));
        using JsonDocument recipe = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.HeadsRun, RecipeReportWriter.JsonFile)));
        double fromAblation = ablation.RootElement.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("group").GetInt32() == 3).GetProperty("srocc").GetProperty("mean").GetDouble();
        double fromRecipe = recipe.RootElement.GetProperty("base_models").EnumerateArray().First(m => m.GetProperty("name").GetString() == "pool").GetProperty("srocc").GetProperty("mean").GetDouble();
        Assert.Equal(fromRecipe, fromAblation, 9);

        // Every row also gives PLCC after the 4-parameter logistic mapping, in the json and as its own column.
        Assert.Contains("| # | configuration | model | PLCC | PLCC (logistic) | SROCC | seconds | plot |", table, StringComparison.Ordinal);
        JsonElement[] rows = [.. ablation.RootElement.GetProperty("rows").EnumerateArray()];
        Assert.All(rows, r => Assert.InRange(r.GetProperty("plcc_logistic").GetProperty("mean").GetDouble(), -1, 1));
        int folds = ablation.RootElement.GetProperty("folds").GetInt32();
        Assert.All(rows, r => Assert.Equal(folds, r.GetProperty("plcc_logistic").GetProperty("count").GetInt32()));
        Assert.Contains(rows, r => Math.Abs(r.GetProperty("plcc_logistic").GetProperty("mean").GetDouble() - r.GetProperty("plcc").GetProperty("mean").GetDouble()) > 1e-6);
    }

    [Fact]
    public void The_recipe_report_records_its_budget_and_whether_the_run_kept_it()
    {
        Assert.True(runs.Heads.Code == 0, runs.Heads.Error);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.HeadsRun, RecipeReportWriter.JsonFile)));

        Assert.Equal(90, report.RootElement.GetProperty("budget_minutes").GetDouble());
        Assert.Contains("budget 90 min on 2 cores: within", File.ReadAllText(Path.Combine(runs.HeadsRun, RecipeReportWriter.MarkdownFile)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerunning_a_finished_recipe_skips_every_unit_and_rewrites_no_result()
    {
        string[] results = Directory.GetFiles(runs.Biq2021Run, "result.json", SearchOption.AllDirectories);
        var before = results.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        (int code, string output, string error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", runs.Biq2021Run, "--config", runs.Config);

        Assert.True(code == 0, error);
        Assert.Equal(8, results.Length); // 2 pretrainings, 2 × 2 folds, 2 final fits
        Assert.DoesNotContain(": started", output, StringComparison.Ordinal);
        Assert.Equal(8, output.Split('\n').Count(l => l.EndsWith(", skipped", StringComparison.Ordinal)));
        Assert.All(results, f => Assert.Equal(before[f], File.GetLastWriteTimeUtc(f)));
        Assert.Contains("is complete, kept", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_run_resumes_with_only_the_unfinished_units()
    {
        string copy = Path.Combine(_scratch, "biq2021");
        CopyFolder(runs.Biq2021Run, copy);
        Directory.Delete(Path.Combine(copy, "ensemble"), recursive: true);
        File.Delete(Path.Combine(copy, "folds", "b", "fold-2", "result.json"));
        double srocc = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs.Biq2021Run, "folds", "b", "fold-2", "result.json")))
            .RootElement.GetProperty("value").GetProperty("metrics").GetProperty("srocc").GetDouble();

        (int code, string output, string error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", copy, "--config", runs.Config);

        Assert.True(code == 0, error);
        Assert.Equal(["folds b fold 2/2: started"], output.Split('\n').Where(l => l.EndsWith(": started", StringComparison.Ordinal)).Select(l => l[11..]));
        double again = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, "folds", "b", "fold-2", "result.json")))
            .RootElement.GetProperty("value").GetProperty("metrics").GetProperty("srocc").GetDouble();
        Assert.Equal(srocc, again, 6); // same seed, same thread count: the same unit again
        Assert.True(File.Exists(Path.Combine(copy, "ensemble", "manifest.json")));
    }

    [Fact]
    public async Task A_heads_run_resumes_with_only_the_unfinished_head_fits()
    {
        Assert.True(runs.Heads.Code == 0, runs.Heads.Error);
        string copy = Path.Combine(_scratch, "biq2021-heads");
        CopyFolder(runs.HeadsRun, copy);
        Directory.Delete(Path.Combine(copy, "ensemble"), recursive: true);
        File.Delete(Path.Combine(copy, "heads", "pool", "fold-2", "result.json"));
        File.Delete(Path.Combine(copy, "heads", "small", "result.json"));

        (int code, string output, string error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", copy, "--config", runs.HeadsConfigFile);

        Assert.True(code == 0, error);
        // Every feature chunk, the other folds and the other final fits are kept; only the two deleted units run again.
        Assert.Equal(["head pool fold 2/2: started", "head small final fit: started"],
            output.Split('\n').Where(l => l.EndsWith(": started", StringComparison.Ordinal)).Select(l => l[11..]));
        Assert.Contains("head ms fold 1/2: complete", output, StringComparison.Ordinal);
        // Kept units are read back, so their cells are the original ones exactly. The refitted fold is the same
        // seeded fit, but libtorch's float32 GEMMs are not bitwise reproducible from one process state to the next
        // (measured: up to 2.4e-5 score points apart), so its cells are compared to 1e-3 points.
        OutOfFoldPredictions original = OutOfFoldPredictions.Read(Path.Combine(runs.HeadsRun, Biq2021Recipe.OutOfFoldFile));
        OutOfFoldPredictions resumed = OutOfFoldPredictions.Read(Path.Combine(copy, Biq2021Recipe.OutOfFoldFile));
        Assert.Equal(original.ImageIds, resumed.ImageIds);
        Assert.Equal(original.ModelNames, resumed.ModelNames);
        int pool = original.ModelNames.ToList().IndexOf("pool");
        for (int i = 0; i < original.Rows.Count; i++)
        {
            for (int j = 0; j < original.ModelNames.Count; j++)
            {
                Assert.Equal(original.Rows[i][j], resumed.Rows[i][j], j == pool ? 1e-3 : 0);
            }
        }
        EnsembleManifest before = EnsembleArtifact.Load(Path.Combine(runs.HeadsRun, "ensemble"));
        EnsembleManifest after = EnsembleArtifact.Load(Path.Combine(copy, "ensemble"));
        // The final fits that were kept are the same files; "small" was refitted.
        Assert.Equal(before.BaseModels.Where(m => m.Name != "small").Select(m => m.Sha256), after.BaseModels.Where(m => m.Name != "small").Select(m => m.Sha256));
        Assert.Equal(3, after.BaseModels.Count);
    }

    [Fact]
    public async Task Cancelling_keeps_completed_units_and_the_next_run_resumes_after_them()
    {
        string output = Path.Combine(_scratch, "cancelled");
        using var cancel = new CancellationTokenSource();
        using var console = new CancellingWriter(": finished in", cancel);
        using var error = new StringWriter();

        int code = await MetaQapCommandLine.Create().Parse(["recipe", "biq2021", "--data", runs.Data, "--out", output, "--config", runs.Config])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = console, Error = error }, cancel.Token);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Contains("run the same command again to resume", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "ensemble", "manifest.json")));
        (int again, string resumed, string resumeError) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", output, "--config", runs.Config);
        Assert.True(again == 0, resumeError);
        Assert.Contains("pretrain a: complete", resumed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_config_in_the_same_out_folder_is_refused()
    {
        string changed = Path.Combine(_scratch, "changed.json");
        File.WriteAllText(changed, RecipeRuns.TinyConfig.Replace("\"epochs\": 2", "\"epochs\": 3", StringComparison.Ordinal));
        string[] before = Directory.GetFiles(runs.Biq2021Run, "*", SearchOption.AllDirectories);

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", runs.Biq2021Run, "--config", changed);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("different config", error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(runs.Biq2021Run, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Ablation_refuses_a_recipe_run_made_with_another_config()
    {
        string changed = Path.Combine(_scratch, "changed.json");
        File.WriteAllText(changed, RecipeRuns.TinyConfig.Replace("\"seed\": 5", "\"seed\": 6", StringComparison.Ordinal));

        (int code, _, string error) = await CliRunner.RunAsync("ablate", "--data", runs.Data, "--out", Path.Combine(_scratch, "a"), "--config", changed,
            "--recipe-run", runs.Biq2021Run);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("was made with a different config", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "a", "scratch-mse")));
    }

    [Fact]
    public async Task A_missing_data_folder_is_an_input_error_that_names_it()
    {
        string missing = Path.Combine(_scratch, "no-such-data");

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", missing, "--out", Path.Combine(_scratch, "o"), "--config", runs.Config);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains($"Dataset folder {missing} does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_dataset_is_an_input_error()
    {
        string empty = Path.Combine(_scratch, "empty");
        Directory.CreateDirectory(Path.Combine(empty, "images"));
        File.WriteAllText(Path.Combine(empty, "mos.csv"), "image,mos\n");

        (int code, _, string error) = await CliRunner.RunAsync("ablate", "--data", empty, "--out", Path.Combine(_scratch, "o"), "--config", runs.Config);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("no data rows", error, StringComparison.Ordinal);
    }

    /// <summary>The default's shape on tiny inputs: one rank head on the frozen ImageNet trunk, photos only, no CNN.</summary>
    private const string TinyRankConfig = """
        {
          "name": "tiny-rank", "seed": 5, "threads": 1,
          "base_models": [],
          "heads": [ { "name": "rank", "architecture": "resnet18_cntk", "input_size": 32, "view_side": 64, "kind": "rank" } ],
          "ranking": { "view_side": 64, "crop_size": 32, "crops_per_content": 2, "types": ["gaussian_blur", "white_noise"], "steps": 20, "chunk_contents": 2 },
          "pretraining": { "synthetic_contents": 0, "epochs": 1, "steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003 },
          "held_out": { "content_fraction": 0.34, "samples": 12, "folds": 2 },
          "fine_tuning": { "folds": 2, "epochs": 2, "max_steps_per_epoch": 3, "batch_size": 4, "learning_rate": 0.003, "validation_samples": 8 }
        }
        """;

    [Fact]
    public async Task Default_recipe_with_a_rank_head_fits_it_on_photo_crops_writes_a_loadable_ensemble_and_resumes()
    {
        string photos = Path.Combine(_scratch, "rank-photos");
        Directory.CreateDirectory(photos);
        for (int i = 0; i < 6; i++)
        {
            ImageEncoder.Save(Photo(96 + (8 * i), 80, i), Path.Combine(photos, $"p{i}.png"));
        }

        string config = Path.Combine(_scratch, "rank.json");
        File.WriteAllText(config, TinyRankConfig);
        string run = Path.Combine(_scratch, "rank-run");

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "default", "--out", run, "--config", config, "--photos", photos);

        Assert.True(code == 0, error);
        string ensemble = Path.Combine(run, "ensemble");
        EnsembleManifest manifest = EnsembleArtifact.Load(ensemble);
        BaseModelEntry model = Assert.Single(manifest.BaseModels);
        Assert.Equal(("rank", "resnet18_cntk", 32, (int?)64), (model.Name, model.Architecture, model.InputSize, model.ViewSide));
        Assert.InRange(manifest.Metrics["ranking_rank_pair_accuracy_heldout"], 0, 1);
        Assert.Contains("| rank head | pairs |", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);
        using EnsemblePredictor predictor = EnsemblePredictor.Load(ensemble, new PredictorOptions { Threads = 1 });
        IReadOnlyList<ImageScore> scores = predictor.Score([Photo(96, 80, 7), Photo(128, 96, 8)]);
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 100));

        // 4 training photos x 2 crops in chunks of 2 photos, 2 held-out photos: 3 feature units and the head, all kept on a resume.
        (code, string output, error) = await CliRunner.RunAsync("recipe", "default", "--out", run, "--config", config, "--photos", photos);
        Assert.True(code == 0, error);
        Assert.Contains("ranking features train 2/2: complete", output + error, StringComparison.Ordinal);
        Assert.Contains("ranking features heldout 1/1: complete", output + error, StringComparison.Ordinal);
        Assert.Contains("rank head rank: complete", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ridge_head_in_the_default_recipe_and_a_rank_head_in_the_biq2021_recipe_are_refused()
    {
        string ridge = Path.Combine(_scratch, "ridge.json");
        File.WriteAllText(ridge, TinyRankConfig.Replace("\"kind\": \"rank\"", "\"kind\": \"ridge\"", StringComparison.Ordinal));

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "default", "--out", Path.Combine(_scratch, "o1"), "--config", ridge);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("recipe default fits rank heads only", error, StringComparison.Ordinal);

        string rank = Path.Combine(_scratch, "rank-biq.json");
        File.WriteAllText(rank, TinyRankConfig);
        (code, _, error) = await CliRunner.RunAsync("recipe", "biq2021", "--data", runs.Data, "--out", Path.Combine(_scratch, "o2"), "--config", rank);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("is a rank head", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "o2")));
    }

    [Fact]
    public async Task An_unknown_architecture_in_the_config_is_an_input_error_listing_the_known_ones()
    {
        string config = Path.Combine(_scratch, "bad.json");
        File.WriteAllText(config, RecipeRuns.TinyConfig.Replace("\"resnet10_w32\", \"input_size\": 40", "\"resnet9000\", \"input_size\": 40", StringComparison.Ordinal));

        (int code, _, string error) = await CliRunner.RunAsync("recipe", "default", "--out", Path.Combine(_scratch, "o"), "--config", config);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("base_models[1].architecture 'resnet9000' is unknown; known: ", error, StringComparison.Ordinal);
        Assert.Contains("mobilenet_v3_small", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "o")));
    }

    private static RgbImage Photo(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = (float)x / width;
                image[1, y, x] = (float)random.NextDouble();
                image[2, y, x] = ((x / 5) + (y / 3)) % 2;
            }
        }

        return image;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A console that requests cancellation (as Ctrl-C does) when a line containing <paramref name="trigger"/> is written.</summary>
    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }
    }
}
