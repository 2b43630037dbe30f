using MetaQap.Contracts;

namespace MetaQap.Components.Sources;

/// <summary>
/// Decides whether a path may be read: it must lie under a configured root both as written and after every
/// symbolic link on the way has been followed. <c>..</c> segments are refused outright rather than normalised.
/// </summary>
public sealed class FileRoots
{
    private const int MaxLinkHops = 40;
    private readonly string[] _roots;
    private readonly string[] _resolvedRoots;

    public FileRoots(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
        _resolvedRoots = _roots.Select(r => Path.TrimEndingDirectorySeparator(ResolveLinks(r))).ToArray();
    }

    /// <summary>
    /// The real path of a readable file (or, with <paramref name="folder"/>, a folder) for <paramref name="path"/>,
    /// or <see cref="ImageFetchException"/> with AccessDenied (outside the roots) or NotFound.
    /// </summary>
    public string Resolve(string path, bool folder = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_roots.Length == 0)
        {
            throw new ImageFetchException(FailureCode.AccessDenied, "No file roots are configured; file references are not accepted.");
        }

        if (path.Split('/', '\\').Any(segment => segment == ".."))
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"'{path}' contains '..'; paths must stay inside the file roots.");
        }

        string full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_roots[0], path));
        if (!_roots.Any(root => IsUnder(full, root)))
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"'{path}' is outside the file roots.");
        }

        string real;
        try
        {
            real = ResolveLinks(full);
        }
        catch (FileNotFoundException e)
        {
            throw new ImageFetchException(FailureCode.NotFound, $"'{path}' does not exist.", e);
        }
        catch (IOException e)
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"'{path}' could not be resolved: {e.Message}", e);
        }

        if (!_resolvedRoots.Any(root => IsUnder(real, root)))
        {
            throw new ImageFetchException(FailureCode.AccessDenied, $"'{path}' is a symbolic link to a place outside the file roots.");
        }

        if (folder ? !Directory.Exists(real) : !File.Exists(real))
        {
            throw new ImageFetchException(FailureCode.NotFound, $"'{path}' is not a {(folder ? "folder" : "file")}.");
        }

        return real;
    }

    private static bool IsUnder(string path, string root) =>
        path.Length > root.Length + 1
        && path.StartsWith(root, StringComparison.Ordinal)
        && path[root.Length] == Path.DirectorySeparatorChar;

    /// <summary>
    /// Follows every symbolic link along an absolute path, component by component (what realpath(3) does), so
    /// that a link in a parent folder counts as much as one on the file itself.
    /// </summary>
    private static string ResolveLinks(string fullPath)
    {
        var pending = new Stack<string>(fullPath.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        string current = Path.GetPathRoot(fullPath) ?? "/";
        int hops = 0;
        while (pending.TryPop(out string? segment))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Join(current, segment);
            var info = new FileInfo(next);
            string? target = info.LinkTarget;
            if (target is null)
            {
                if (!info.Exists && !Directory.Exists(next))
                {
                    throw new FileNotFoundException($"'{next}' does not exist.", next);
                }

                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"Too many symbolic links while resolving '{fullPath}'.");
            }

            foreach (string part in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? "/";
            }
        }

        return current;
    }
}
