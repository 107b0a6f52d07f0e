// Tokeniser for MIL text (ane-reference.md section 4): identifiers, numbers (decimal and C99 hex floats),
// quoted strings with escapes, punctuation and `->`; `//` and `/* */` comments are skipped.
using System.Text;

namespace Orion.Engine.Mil;

internal enum MilTokenKind
{
    Identifier,
    Number,
    String,
    Punct,
    End,
}

/// <summary>One token. <see cref="Text"/> is the decoded value for strings, the source text otherwise.</summary>
internal readonly record struct MilToken(MilTokenKind Kind, string Text, int Line, int Column)
{
    public bool Is(string punct) => Kind == MilTokenKind.Punct && Text == punct;
    public bool IsWord(string word) => Kind == MilTokenKind.Identifier && Text == word;

    /// <summary>How an error message shows this token: <c>'tensor'</c>, <c>"abc"</c>, <c>end of input</c>.</summary>
    public string Describe()
    {
        if (Kind == MilTokenKind.End) return "end of input";
        var text = Text.Length > 24 ? Text[..24] + "..." : Text;
        return Kind == MilTokenKind.String ? $"string \"{text}\"" : $"'{text}'";
    }
}

internal static class MilLexer
{
    /// <summary>All tokens of <paramref name="text"/>, always ending with exactly one <see cref="MilTokenKind.End"/>.</summary>
    public static List<MilToken> Tokenize(string text)
    {
        var tokens = new List<MilToken>();
        var pos = 0;
        var line = 1;
        var lineStart = 0;
        while (true)
        {
            SkipTrivia(text, ref pos, ref line, ref lineStart);
            var column = pos - lineStart + 1;
            if (pos >= text.Length)
            {
                tokens.Add(new MilToken(MilTokenKind.End, "", line, column));
                return tokens;
            }

            var c = text[pos];
            var next = pos + 1 < text.Length ? text[pos + 1] : '\0';
            if (IsIdentStart(c))
            {
                var start = pos;
                while (pos < text.Length && IsIdentPart(text[pos])) pos++;
                tokens.Add(new MilToken(MilTokenKind.Identifier, text[start..pos], line, column));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' or '.' && StartsNumber(text, pos + (c == '.' ? 0 : 1))))
            {
                tokens.Add(new MilToken(MilTokenKind.Number, ReadNumber(text, ref pos, line, column), line, column));
            }
            else if (c == '"')
            {
                tokens.Add(new MilToken(MilTokenKind.String, ReadString(text, ref pos, line, column), line, column));
            }
            else if (c == '-' && next == '>')
            {
                tokens.Add(new MilToken(MilTokenKind.Punct, "->", line, column));
                pos += 2;
            }
            else if ("()[]{}<>,=;-".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new MilToken(MilTokenKind.Punct, c.ToString(), line, column));
                pos++;
            }
            else
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new MilException($"unexpected character '{shown}'", line, column, "MIL text holds identifiers, literals and ( ) [ ] { } < > , = ; ->");
            }
        }
    }

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_';
    private static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool StartsNumber(string text, int at) =>
        at < text.Length && (char.IsAsciiDigit(text[at]) || (text[at] == '.' && at + 1 < text.Length && char.IsAsciiDigit(text[at + 1])));

    private static void SkipTrivia(string text, ref int pos, ref int line, ref int lineStart)
    {
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '\n')
            {
                pos++;
                line++;
                lineStart = pos;
            }
            else if (c is ' ' or '\t' or '\r' or '\f' or '\v')
            {
                pos++;
            }
            else if (c == '/' && pos + 1 < text.Length && text[pos + 1] == '/')
            {
                while (pos < text.Length && text[pos] != '\n') pos++;
            }
            else if (c == '/' && pos + 1 < text.Length && text[pos + 1] == '*')
            {
                int startLine = line, startColumn = pos - lineStart + 1;
                pos += 2;
                while (true)
                {
                    if (pos + 1 >= text.Length)
                    {
                        throw new MilException("unterminated '/*' comment", startLine, startColumn, "close it with '*/'");
                    }
                    if (text[pos] == '*' && text[pos + 1] == '/')
                    {
                        pos += 2;
                        break;
                    }
                    if (text[pos] == '\n')
                    {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static string ReadNumber(string text, ref int pos, int line, int column)
    {
        var start = pos;
        if (text[pos] is '-' or '+') pos++;
        var hex = pos + 1 < text.Length && text[pos] == '0' && text[pos + 1] is 'x' or 'X';
        if (hex) pos += 2;
        while (pos < text.Length && (hex ? char.IsAsciiHexDigit(text[pos]) : char.IsAsciiDigit(text[pos]))) pos++;
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            while (pos < text.Length && (hex ? char.IsAsciiHexDigit(text[pos]) : char.IsAsciiDigit(text[pos]))) pos++;
        }
        if (pos < text.Length && (hex ? text[pos] is 'p' or 'P' : text[pos] is 'e' or 'E'))
        {
            pos++;
            if (pos < text.Length && text[pos] is '+' or '-') pos++;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
        }
        if (pos < text.Length && (IsIdentPart(text[pos]) || text[pos] == '.'))
        {
            while (pos < text.Length && (IsIdentPart(text[pos]) || text[pos] is '.' or '+' or '-')) pos++;
            throw new MilException($"malformed number '{text[start..pos]}'", line, column, "numbers look like 3, -1.5e-05 or 0x1.8p+4");
        }
        return text[start..pos];
    }

    private static string ReadString(string text, ref int pos, int line, int column)
    {
        var sb = new StringBuilder();
        pos++; // opening quote
        while (true)
        {
            if (pos >= text.Length || text[pos] == '\n')
            {
                throw new MilException("unterminated string literal", line, column, "close it with '\"' on the same line; write a newline as \\n");
            }
            var c = text[pos++];
            if (c == '"') return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            var escape = pos < text.Length ? text[pos] : '\0';
            var decoded = escape switch
            {
                '"' => '"',
                '\\' => '\\',
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '\'' => '\'',
                _ => throw new MilException(
                    $"unknown escape '\\{(escape == '\0' ? "" : escape.ToString())}' in string literal",
                    line, pos - (text.LastIndexOf('\n', pos - 1) + 1), "supported escapes: \\\" \\\\ \\n \\t \\r"),
            };
            sb.Append(decoded);
            pos++;
        }
    }
}
