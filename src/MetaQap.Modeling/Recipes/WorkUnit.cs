using System.Diagnostics;
using System.Globalization;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>A completed unit's result file: what it produced and how long the run that completed it took.</summary>
internal sealed record UnitResult<T>(T Value, double Seconds);

/// <summary>
/// One resumable piece of a recipe (a pretraining, a fold of a model at a stage, a final fit) in its own folder.
/// The unit is complete when its <see cref="ResultFile"/> exists; that file is written atomically as the last
/// step, so an interrupted unit is simply run again (its trainer resumes from its own last checkpoint).
/// </summary>
internal static class WorkUnit
{
    public const string ResultFile = "result.json";

    public static bool IsComplete(string directory) => File.Exists(Path.Combine(directory, ResultFile));

    public static UnitResult<T> Read<T>(string directory) => RecipeJson.Read<UnitResult<T>>(Path.Combine(directory, ResultFile));

    /// <summary>
    /// The unit's result: read back when complete (logged as skipped), otherwise produced by
    /// <paramref name="work"/> (given the unit folder) and recorded. Seconds count the session that completed it.
    /// Training checkpoints in the unit folder are deleted once the result is recorded.
    /// </summary>
    public static UnitResult<T> Run<T>(RecipeRunFolder folder, string directory, string label, RecipeLog log, Func<string, T> work)
    {
        if (IsComplete(directory))
        {
            UnitResult<T> done = Read<T>(directory);
            folder.Clock.Record(done.Seconds, ranNow: false);
            log.Line(string.Create(CultureInfo.InvariantCulture, $"{label}: complete ({done.Seconds:F0} s when it ran), skipped"));
            return done;
        }

        Directory.CreateDirectory(directory);
        log.Line($"{label}: started");
        var clock = Stopwatch.StartNew();
        T value = work(directory);
        var result = new UnitResult<T>(value, clock.Elapsed.TotalSeconds);
        RecipeJson.Write(Path.Combine(directory, ResultFile), result);
        folder.Clock.Record(result.Seconds, ranNow: true);

        // A complete unit keeps its weights and training.json; its checkpoints only served a resume (and are large).
        string checkpoints = Path.Combine(directory, CheckpointStore.FolderName);
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        log.Line(string.Create(CultureInfo.InvariantCulture, $"{label}: finished in {result.Seconds:F0} s"));
        return result;
    }
}
