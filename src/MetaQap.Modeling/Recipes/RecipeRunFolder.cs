using System.Text.Json;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The <c>--out</c> folder of a recipe or ablation run. <c>recipe.json</c> (the config used) and
/// <c>inputs.json</c> (the inputs read) are written when it is first claimed; a later run in the same folder
/// resumes only with the same config and inputs and is refused otherwise, because its completed work units would
/// silently mix two experiments.
/// </summary>
internal sealed class RecipeRunFolder
{
    public const string ConfigFile = "recipe.json";
    public const string InputsFile = "inputs.json";

    private RecipeRunFolder(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Wall time of the run across invocations (every unit run through <see cref="WorkUnit"/> is counted).</summary>
    public RunClock Clock { get; } = new();

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static RecipeRunFolder Claim(string directory, RecipeConfig config, RunInputs inputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string root = Path.GetFullPath(directory);
        string configPath = Path.Combine(root, ConfigFile);
        string inputsPath = Path.Combine(root, InputsFile);
        string configJson = config.ToJson();
        string inputsJson = RecipeJson.Serialize(inputs);
        if (File.Exists(configPath))
        {
            if (Canonical<RecipeConfig>(configPath) != configJson)
            {
                throw new RecipeException(
                    $"{root} holds a run made with a different config ({configPath}). Re-run with that config " +
                    $"(--config {configPath}) to resume it, or choose another --out.");
            }

            if (File.Exists(inputsPath) && Canonical<RunInputs>(inputsPath) != inputsJson)
            {
                throw new RecipeException(
                    $"{root} holds a run of other inputs (recorded in {inputsPath}):\n{File.ReadAllText(inputsPath).Trim()}\n" +
                    $"this run has:\n{inputsJson.Trim()}\nUse the same command and inputs to resume it, or choose another --out.");
            }
        }
        else if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new RecipeException($"{root} is not empty and holds no {ConfigFile}: choose an empty or new --out folder.");
        }

        Directory.CreateDirectory(root);
        RecipeJson.Write(inputsPath, inputs);
        RecipeJson.Write(configPath, config);
        return new RecipeRunFolder(root);
    }

    /// <summary>The file re-serialised, so whitespace or key order edits do not count as a change; unreadable counts as one.</summary>
    private static string? Canonical<T>(string path)
    {
        try
        {
            return RecipeJson.Serialize(RecipeJson.Read<T>(path));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
