using System.Text.RegularExpressions;
using System.Xml.Linq;
using MetaQap.Testing;

namespace MetaQap.Worker.Tests.Architecture;

/// <summary>
/// DESIGN.md §2, checked on the sources: no project references an executable, no project compiles another's files
/// by link, and inside each source project the folders (one namespace each) import each other in one direction only.
/// A folder "uses" another when one of its files names that folder's namespace (a using directive or a qualified
/// name); that covers every cross-folder reference, since a type of another folder cannot be named without it.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly string[] SourceProjects = ["MetaQap.Contracts", "MetaQap.Imaging", "MetaQap.Modeling", "MetaQap.Components", "MetaQap.Worker", "MetaQap.Cli"];

    [Fact]
    public void No_project_references_an_executable_except_the_tests_of_that_executable_and_none_links_files()
    {
        string root = RepositoryPaths.Root;
        var problems = new List<string>();
        foreach (string project in RepositoryPaths.SourceFiles(".", "*.csproj"))
        {
            bool isTest = project.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
            foreach (string reference in References(project))
            {
                string name = Path.GetFileNameWithoutExtension(reference);
                // A test project may reference the executable it tests; the worker's tests also drive the CLI against the
                // worker they host. Nothing else may.
                string tester = Path.GetFileNameWithoutExtension(project);
                bool allowed = isTest && (tester == $"{name}.Tests" || (tester == "MetaQap.Worker.Tests" && name == "MetaQap.Cli"));
                if (IsExecutable(reference) && !allowed)
                {
                    problems.Add($"{Path.GetFileName(project)} references the executable {name}");
                }
            }

            if (XDocument.Load(project).Descendants("Compile").Any(c => c.Attribute("Include")?.Value.StartsWith("..", StringComparison.Ordinal) == true))
            {
                problems.Add($"{Path.GetFileName(project)} compiles files of another folder by link");
            }
        }

        Assert.Empty(problems);
        Assert.False(IsExecutable(Path.Combine(root, "src", "MetaQap.Components", "MetaQap.Components.csproj")));
        Assert.True(IsExecutable(Path.Combine(root, "src", "MetaQap.Worker", "MetaQap.Worker.csproj")));
    }

    [Fact]
    public void The_folders_of_each_source_project_import_each_other_in_one_direction()
    {
        var found = new List<string>();
        foreach (string project in SourceProjects)
        {
            Dictionary<string, HashSet<string>> uses = FolderDependencies(project);
            if (Cycle(uses) is { } cycle)
            {
                found.Add($"{project}: {string.Join(" -> ", cycle)}");
            }
        }

        Assert.Empty(found);
        // The layout the worker redesign reached (DESIGN.md §2): shared policy below the features that use it.
        Dictionary<string, HashSet<string>> components = FolderDependencies("MetaQap.Components");
        Assert.DoesNotContain("Scoring", components.GetValueOrDefault("Training") ?? []);
        Assert.DoesNotContain("Training", components.GetValueOrDefault("Scoring") ?? []);
        Assert.All(new[] { "Jobs", "Messaging", "Registry", "Sources", "Telemetry" },
            shared => Assert.DoesNotContain("Scoring", components.GetValueOrDefault(shared) ?? []));
    }

    [Fact]
    public void A_cycle_between_folders_is_found()
    {
        var uses = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A", "B", "C", "A"], Cycle(uses));
        uses["C"].Clear();
        Assert.Null(Cycle(uses));
    }

    /// <summary>For each top-level folder of a source project, the project's other top-level folders it names.</summary>
    private static Dictionary<string, HashSet<string>> FolderDependencies(string project)
    {
        string directory = Path.Combine(RepositoryPaths.Root, "src", project);
        var folders = Directory.GetDirectories(directory).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet();
        var uses = new Dictionary<string, HashSet<string>>();
        var pattern = new Regex(Regex.Escape(project) + @"\.(\w+)");
        foreach (string file in RepositoryPaths.SourceFiles(Path.Combine("src", project), "*.cs"))
        {
            string relative = Path.GetRelativePath(directory, file);
            string folder = relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) ? relative.Split(Path.DirectorySeparatorChar)[0] : "(root)";
            foreach (Match m in pattern.Matches(File.ReadAllText(file)))
            {
                string target = m.Groups[1].Value;
                if (target != folder && folders.Contains(target))
                {
                    (uses.TryGetValue(folder, out HashSet<string>? set) ? set : uses[folder] = []).Add(target);
                }
            }
        }

        return uses;
    }

    /// <summary>One cycle of the graph as a path that ends where it starts, or null when there is none.</summary>
    private static List<string>? Cycle(Dictionary<string, HashSet<string>> uses)
    {
        var state = new Dictionary<string, int>(); // 1 on the current path, 2 done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (string next in (uses.GetValueOrDefault(node) ?? []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path[path.IndexOf(next)..], next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (string node in uses.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static IEnumerable<string> References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))));

    /// <summary>An exe: OutputType Exe, or the web SDK (whose default output is an executable).</summary>
    private static bool IsExecutable(string project)
    {
        XElement document = XDocument.Load(project).Root!;
        string? outputType = document.Descendants("OutputType").Select(o => o.Value).FirstOrDefault();
        return outputType is "Exe" or "WinExe"
            || (outputType is null && document.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web");
    }
}
