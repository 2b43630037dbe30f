using System.CommandLine;
using System.Diagnostics;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Recipes;
using MetaQap.Modeling.Weights;

namespace MetaQap.Cli.Commands;

/// <summary>
/// The options the recipe commands share (--out, --config, --photos, --exclude) and how they run: plain progress
/// lines on the console, Ctrl-C keeping every completed work unit, errors as exit codes with a clear message.
/// </summary>
internal sealed class RecipeCliOptions
{
    public Option<DirectoryInfo> Output { get; } = new("--out")
    {
        Description = "Run folder: recipe.json, one sub-folder per work unit, the ensemble and the report. Re-run the same command to resume.",
        Required = true,
    };

    public Option<FileInfo?> Config { get; } = new("--config") { Description = "Recipe config JSON replacing the preset (see `metaqap recipe show`)." };

    public Option<DirectoryInfo?> Photos { get; } = new("--photos") { Description = "Folder of redistributable photos added to the synthetic pristine content." };

    public Option<string[]> Exclude { get; } = new("--exclude")
    {
        Description = "File names or glob patterns left out of --photos (e.g. a licence is unknown).",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(Config);
        command.Options.Add(Photos);
        command.Options.Add(Exclude);
    }

    /// <summary>The --config file, else the preset.</summary>
    public RecipeConfig LoadConfig(ParseResult parse, RecipeConfig preset) =>
        parse.GetValue(Config) is { } file ? RecipeConfig.Load(file.FullName) : preset;

    public PristineInputs Pristine(ParseResult parse) =>
        new(parse.GetValue(Photos)?.FullName, parse.GetValue(Exclude) ?? []);

    public string OutputPath(ParseResult parse) => parse.GetValue(Output)!.FullName;

    /// <summary>The exact command line and the code's commit, for the provenance.</summary>
    public static RecipeInvocation Invocation(ParseResult parse) =>
        new("metaqap " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value))), GitCommit());

    /// <summary>Runs a recipe on a worker thread, writing its progress lines to the console, and maps failures to exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, string outputPath, Func<RecipeLog, CancellationToken, string> run,
        CancellationToken cancellationToken)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        var log = new RecipeLog(line => output.WriteLine(line));
        try
        {
            string summary = await Task.Run(() => run(log, cancellationToken), cancellationToken).ConfigureAwait(false);
            output.WriteLine(summary);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"cancelled; completed work units are kept in {outputPath}: run the same command again to resume.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is RecipeException or IOException or InvalidDataException or DatasetFormatException or ArtifactException
            or ImageDecodeException or StateDictMismatchException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InputError;
        }
    }

    /// <summary>A token as a POSIX shell reads it back: single-quoted unless it is plain (letters, digits, <c>_./:=@%+,-</c>).</summary>
    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c, StringComparison.Ordinal))
            ? token
            : "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// <c>git rev-parse HEAD</c> where the running binary lives (it is built inside the checkout whose code it is),
    /// or "unknown" (no git, not a checkout).
    /// </summary>
    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return "unknown";
            }

            string commit = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(10_000) && git.ExitCode == 0 && commit.Length == 40 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
