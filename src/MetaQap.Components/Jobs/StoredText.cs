namespace MetaQap.Components.Jobs;

/// <summary>
/// Producer-supplied text on its way into a text column (a reference as sent, a failure detail quoting it):
/// PostgreSQL cannot store NUL, which would fail the whole message's transaction, and a reference may be as long
/// as the message allows, so it is cut to a length a person can still read.
/// </summary>
internal static class StoredText
{
    public const int MaxLength = 2048;

    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string cleaned = text.Replace('\0', '\uFFFD');
        return cleaned.Length <= MaxLength ? cleaned : string.Concat(cleaned.AsSpan(0, MaxLength - 1), "…");
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);
}
