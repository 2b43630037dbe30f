namespace MetaQap.Testing;

/// <summary>Locates the repository from the test output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The files matching <paramref name="pattern"/> below <paramref name="folder"/> (a path under <see cref="Root"/>),
    /// without build outputs (<c>bin/</c>, <c>obj/</c>).
    /// </summary>
    public static string[] SourceFiles(string folder, string pattern) =>
        [.. Directory.GetFiles(Path.Combine(Root, folder), pattern, SearchOption.AllDirectories).Where(f => !IsBuildOutput(f))];

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MetaQap.Workers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MetaQap.Workers.sln not found above {AppContext.BaseDirectory}.");
    }
}
