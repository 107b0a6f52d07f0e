// Akka's HOCON parser (Akka.Configuration) accepts text that is not HOCON without a word: an unclosed brace or
// string, a key with nothing after its '=', and `${?NAME}` (which it turns into an empty value, even over an
// earlier one). A misconfigured fleet node is worse than one that refuses to start, so every file is scanned for
// those before Akka parses it. This is a check of structure, not a second parser: what it accepts, Akka parses.
namespace Orion.Actors.Configuration;

internal static class HoconText
{
    /// <summary>Throws a <see cref="ConfigException"/> naming file and line for the first construct Akka would misread.</summary>
    public static void Check(string text, string file)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') { line++; continue; }
            if (c == '#' || (c == '/' && At(text, i, "//")))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                i = SkipString(text, i, file, ref line);
                continue;
            }
            switch (c)
            {
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    char expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                        throw Error(file, line, $"'{c}' closes nothing; expected it to match an earlier '{expected}' (check the braces above it)");
                    var (bracket, openedAt) = open.Pop();
                    if (bracket != expected)
                        throw Error(file, line, $"'{c}' closes the '{bracket}' opened at line {openedAt}; expected '{(bracket == '{' ? '}' : ']')}'");
                    break;
                case '$' when At(text, i, "${?"):
                    throw Error(file, line, "optional substitution ${?...} is not supported: Akka's HOCON parser turns it into an empty value, " +
                        "even over one set earlier; set the key itself, pass the command-line flag, or use the environment variables reference.conf lists");
                case '=':
                    CheckValueFollows(text, i, file, line);
                    break;
                case 'i' when AtWord(text, i, "include"):
                    CheckInclude(text, i + "include".Length, file, line);
                    break;
            }
        }
        if (open.Count > 0)
        {
            var (bracket, openedAt) = open.Peek();
            throw Error(file, openedAt, $"'{bracket}' opened here is never closed; expected a matching '{(bracket == '{' ? '}' : ']')}' before the end of the file");
        }
    }

    public static ConfigException Error(string file, int line, string problem) =>
        new($"{file}:{line}: {problem}", file, line);

    /// <summary>1-based line of a character offset (Akka's parse errors give offsets).</summary>
    public static int LineOf(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < Math.Min(offset, text.Length); i++) if (text[i] == '\n') line++;
        return line;
    }

    private static int SkipString(string text, int start, string file, ref int line)
    {
        int startLine = line;
        if (At(text, start, "\"\"\""))
        {
            int end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            if (end < 0) throw Error(file, startLine, "a \"\"\" string starts here and is never closed; expected a closing \"\"\"");
            for (int k = start; k < end; k++) if (text[k] == '\n') line++;
            return end + 2;
        }
        for (int k = start + 1; k < text.Length; k++)
        {
            if (text[k] == '\\') { k++; continue; }
            if (text[k] == '"') return k;
            if (text[k] == '\n') break;
        }
        throw Error(file, startLine, "a quoted string starts here and is not closed on this line; expected a closing '\"'");
    }

    private static void CheckValueFollows(string text, int at, string file, int line)
    {
        int k = at + 1;
        while (k < text.Length && text[k] is ' ' or '\t') k++;
        bool nothing = k >= text.Length || text[k] is '\n' or '\r' or '}' or ',' or '#' || At(text, k, "//");
        if (!nothing) return;
        int lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var key = text[lineStart..at].Trim().TrimStart('{', ' ', '\t');
        throw Error(file, line, $"'{key}' has '=' and no value after it on the same line; expected a value, e.g. {(key.Length > 0 ? key : "key")} = \"...\" (quote values that contain '=')");
    }

    private static void CheckInclude(string text, int after, string file, int line)
    {
        int k = after;
        while (k < text.Length && text[k] is ' ' or '\t') k++;
        if (k < text.Length && text[k] == '"') return;
        throw Error(file, line, "include takes one quoted path relative to this file, e.g. include \"common.conf\"; " +
            "file(...), url(...), classpath(...) and required(...) are not supported by Akka's parser");
    }

    private static bool At(string text, int i, string s) => string.CompareOrdinal(text, i, s, 0, s.Length) == 0;

    /// <summary>A whole word at the start of a key position (so "included-files = ..." is not an include).</summary>
    private static bool AtWord(string text, int i, string word)
    {
        if (!At(text, i, word)) return false;
        bool startOk = i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] == '{';
        int end = i + word.Length;
        return startOk && end < text.Length && text[end] is ' ' or '\t';
    }
}
