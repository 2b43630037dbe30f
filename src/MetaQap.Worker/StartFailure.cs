namespace MetaQap.Worker;

/// <summary>One line saying why the worker could not start, from an exception and the ones inside it.</summary>
internal static class StartFailure
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var messages = new List<string>();
        for (Exception? e = exception; e is not null && messages.Count < 4; e = e.InnerException)
        {
            string message = e.Message.ReplaceLineEndings(" ").Trim();
            // Wrappers often repeat their inner exception's message; say each thing once.
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }
}
