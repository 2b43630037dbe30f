namespace MetaQap.Testing;

/// <summary>Locates the repository from the test output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

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
