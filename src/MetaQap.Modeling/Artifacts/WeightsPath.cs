namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// Rules for file names in a manifest: relative, '/'-separated, no '.', '..' or empty segments, no drive letters or
/// backslashes, so a manifest can only name files inside its own folder, on every OS.
/// </summary>
internal static class WeightsPath
{
    /// <summary>Why <paramref name="relativePath"/> is not an acceptable in-folder path, or null when it is.</summary>
    public static string? Problem(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            return "is empty";
        }

        if (relativePath.StartsWith('/') || Path.IsPathRooted(relativePath))
        {
            return "is an absolute path; it must be relative to the ensemble folder";
        }

        if (relativePath.Contains('\\', StringComparison.Ordinal) || relativePath.Contains(':', StringComparison.Ordinal)
            || relativePath.Contains('\0', StringComparison.Ordinal))
        {
            return "contains '\\', ':' or NUL; use '/' separators and plain names";
        }

        foreach (var segment in relativePath.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "has an empty, '.' or '..' segment; it must stay inside the ensemble folder";
            }
        }

        return null;
    }

    /// <summary>Absolute path of an already-checked relative path, asserting once more that it is inside the folder.</summary>
    public static string Resolve(string directory, string relativePath, string jsonPath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArtifactException(
                ArtifactErrorCode.InvalidManifest, $"'{relativePath}' resolves outside the ensemble folder {root}.", jsonPath);
        }

        return full;
    }
}
