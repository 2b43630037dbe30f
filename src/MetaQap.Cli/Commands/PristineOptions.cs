using System.CommandLine;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Cli.Commands;

/// <summary>The options that choose pristine content: a folder of photos, synthetic dead leaves, or both.</summary>
internal sealed class PristineOptions
{
    public Option<DirectoryInfo?> Folder { get; } = new("--pristine") { Description = "Folder of pristine photos (searched recursively)." };

    public Option<string[]> Exclude { get; } = new("--exclude")
    {
        Description = "File names to leave out of --pristine (e.g. images whose licence is unknown).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<bool> Synthetic { get; } = new("--synthetic") { Description = "Use synthetic dead-leaves content." };

    public Option<int> Contents { get; } = new("--contents")
    {
        Description = "Number of synthetic contents (with --synthetic).",
        DefaultValueFactory = _ => 64,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Folder);
        command.Options.Add(Exclude);
        command.Options.Add(Synthetic);
        command.Options.Add(Contents);
    }

    /// <summary>Builds the source, or returns an error message for the user.</summary>
    public IPristineSource? Create(ParseResult parse, int seed, out string? error)
    {
        error = null;
        var sources = new List<IPristineSource>();
        if (parse.GetValue(Folder) is { } folder)
        {
            if (!folder.Exists)
            {
                error = $"--pristine folder {folder.FullName} does not exist.";
                return null;
            }

            sources.Add(new FolderPristineSource(folder.FullName, new FolderSourceOptions { Exclude = parse.GetValue(Exclude) ?? [] }));
        }

        if (parse.GetValue(Synthetic))
        {
            int contents = parse.GetValue(Contents);
            if (contents <= 0)
            {
                error = "--contents must be positive.";
                return null;
            }

            sources.Add(new DeadLeavesSource(contents, seed));
        }

        if (sources.Count == 0)
        {
            error = "Choose pristine content: --pristine <dir>, --synthetic, or both.";
            return null;
        }

        return sources.Count == 1 ? sources[0] : new CompositePristineSource([.. sources]);
    }
}
