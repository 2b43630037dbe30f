using System.Text;

namespace MetaQap.Imaging.Datasets;

/// <summary>
/// A small RFC 4180 reader: comma separators, double-quoted fields with <c>""</c> escapes (KonIQ-10k quotes its
/// names), LF, CRLF or CR line ends, a leading UTF-8 byte-order mark. It never throws on bad input: a malformed
/// record carries its <see cref="CsvRecord.Error"/> so the caller can report it with the other bad rows.
/// </summary>
internal static class CsvParser
{
    public static IEnumerable<CsvRecord> Parse(string text)
    {
        var cursor = new Cursor(text);
        if (cursor.Peek() == '\uFEFF')
        {
            cursor.Advance();
        }

        while (!cursor.AtEnd)
        {
            yield return ReadRecord(cursor);
        }
    }

    private static CsvRecord ReadRecord(Cursor cursor)
    {
        int startLine = cursor.Line;
        var fields = new List<string>();
        string? error = null;
        while (true)
        {
            fields.Add(ReadField(cursor, ref error));
            if (cursor.Peek() == ',')
            {
                cursor.Advance();
                continue;
            }

            cursor.SkipLineEnd();
            return new CsvRecord(startLine, fields, error);
        }
    }

    private static string ReadField(Cursor cursor, ref string? error)
    {
        int start = cursor.Position;
        cursor.SkipSpaces();
        if (cursor.Peek() != '"')
        {
            cursor.Position = start;
            var plain = new StringBuilder();
            while (!cursor.AtEnd && !IsFieldEnd(cursor.Peek()))
            {
                plain.Append(cursor.Advance());
            }

            return plain.ToString().Trim(' ', '\t');
        }

        cursor.Advance();
        var quoted = new StringBuilder();
        while (true)
        {
            if (cursor.AtEnd)
            {
                error ??= "a quoted field is not closed before the end of the file";
                return quoted.ToString();
            }

            char c = cursor.Advance();
            if (c != '"')
            {
                quoted.Append(c);
                continue;
            }

            if (cursor.Peek() == '"')
            {
                quoted.Append(cursor.Advance());
                continue;
            }

            break;
        }

        cursor.SkipSpaces();
        if (!cursor.AtEnd && !IsFieldEnd(cursor.Peek()))
        {
            error ??= $"unexpected text after the closing quote of \"{quoted}\"";
            while (!cursor.AtEnd && !IsFieldEnd(cursor.Peek()))
            {
                cursor.Advance();
            }
        }

        return quoted.ToString();
    }

    private static bool IsFieldEnd(char c) => c is ',' or '\r' or '\n';

    /// <summary>Position in the text plus the current 1-based line, counted as characters are consumed.</summary>
    private sealed class Cursor(string text)
    {
        public int Position { get; set; }

        public int Line { get; private set; } = 1;

        public bool AtEnd => Position >= text.Length;

        /// <summary>The next character, or NUL at the end.</summary>
        public char Peek() => AtEnd ? '\0' : text[Position];

        public char Advance()
        {
            char c = text[Position++];
            // CRLF counts once (on its LF); a lone CR (classic Mac) counts on its own.
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                Line++;
            }

            return c;
        }

        public void SkipSpaces()
        {
            while (Peek() is ' ' or '\t')
            {
                Advance();
            }
        }

        public void SkipLineEnd()
        {
            if (Peek() == '\r')
            {
                Advance();
            }

            if (Peek() == '\n')
            {
                Advance();
            }
        }
    }
}
