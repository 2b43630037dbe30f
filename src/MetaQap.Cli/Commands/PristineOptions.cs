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
    /// <param name="minSide">
    /// Samples are cropped at this side without upscaling: photos whose shorter side is smaller are left out up
    /// front, each named in one warning line on stderr, instead of failing mid-run. 0 keeps every photo.
    /// </param>
    public IPristineSource? Create(ParseResult parse, int seed, out string? error, int minSide = 0)
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

            var photos = new FolderPristineSource(folder.FullName, new FolderSourceOptions { Exclude = parse.GetValue(Exclude) ?? [], MinSide = minSide });
            foreach (string skipped in photos.Skipped)
            {
                parse.InvocationConfiguration.Error.WriteLine($"warning: left out {skipped}");
            }

            if (photos.ContentCount == 0)
            {
                error = $"--pristine folder {folder.FullName} has no usable photo{(minSide > 0 ? $" of at least {minSide} px on its shorter side (--size)" : "")}.";
                return null;
            }

            sources.Add(photos);
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
