// Splits HOCON text into tokens (HOCON.md "Syntax"): comments, whitespace kept for value concatenation, JSON and
// triple-quoted strings, unquoted text, JSON numbers (so 10s lexes as 10 then s) and ${path} / ${?path}.
using System.Globalization;
using System.Text;

namespace Orion.Engine.Config;

internal sealed class HoconLexer
{
    private const string Reserved = "$\"{}[]:=,+#`^?!@*&\\";
    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;

    private HoconLexer(string text, string file)
    {
        _text = text;
        _file = file;
    }

    public static List<HoconToken> Tokenize(string text, string file) => new HoconLexer(text, file).Run();

    /// <summary>HOCON whitespace: Unicode separators plus the ASCII controls the spec lists; newline is its own token.</summary>
    public static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF' || c is >= '\u001C' and <= '\u001F');

    private List<HoconToken> Run()
    {
        var tokens = new List<HoconToken>();
        if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = 1;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            int line = _line;
            if (c == '\n') { tokens.Add(new(HoconTokenKind.Newline, "\n", line)); _pos++; _line++; continue; }
            if (IsWhitespace(c))
            {
                int start = _pos;
                while (_pos < _text.Length && IsWhitespace(_text[_pos])) _pos++;
                tokens.Add(new(HoconTokenKind.Whitespace, _text[start.._pos], line));
                continue;
            }
            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
                continue;
            }
            var single = c switch
            {
                ',' => HoconTokenKind.Comma,
                ':' => HoconTokenKind.Colon,
                '=' => HoconTokenKind.Equals,
                '{' => HoconTokenKind.OpenBrace,
                '}' => HoconTokenKind.CloseBrace,
                '[' => HoconTokenKind.OpenBracket,
                ']' => HoconTokenKind.CloseBracket,
                _ => HoconTokenKind.End,
            };
            if (single != HoconTokenKind.End) { tokens.Add(new(single, c.ToString(), line)); _pos++; continue; }
            if (c == '"') { tokens.Add(ReadQuoted()); continue; }
            if (c == '$' && Peek(1) == '{') { tokens.Add(ReadSubstitution()); continue; }
            if (c == '+' && Peek(1) == '=') { tokens.Add(new(HoconTokenKind.PlusEquals, "+=", line)); _pos += 2; continue; }
            if (Reserved.Contains(c, StringComparison.Ordinal))
                throw Error(line, $"the character '{c}' is reserved outside quotes; put the value in double quotes, e.g. \"a{c}b\"");
            int numberLength = MatchNumber(_pos);
            if (numberLength > 0)
            {
                tokens.Add(new(HoconTokenKind.Number, _text.Substring(_pos, numberLength), line));
                _pos += numberLength;
                continue;
            }
            int from = _pos;
            while (_pos < _text.Length && IsUnquotedChar(_text[_pos]) && !(_text[_pos] == '/' && Peek(1) == '/')) _pos++;
            tokens.Add(new(HoconTokenKind.Unquoted, _text[from.._pos], line));
        }
        tokens.Add(new(HoconTokenKind.End, "", _line));
        return tokens;
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private static bool IsUnquotedChar(char c) => c != '\n' && !IsWhitespace(c) && !Reserved.Contains(c, StringComparison.Ordinal);

    /// <summary>Length of a JSON number at <paramref name="at"/> (-? int frac? exp?), or 0 if none starts there.</summary>
    private int MatchNumber(int at)
    {
        int i = at;
        if (i < _text.Length && _text[i] == '-') i++;
        if (i >= _text.Length || !char.IsAsciiDigit(_text[i])) return 0;
        if (_text[i] == '0') i++;
        else while (i < _text.Length && char.IsAsciiDigit(_text[i])) i++;
        if (i + 1 < _text.Length && _text[i] == '.' && char.IsAsciiDigit(_text[i + 1]))
        {
            i++;
            while (i < _text.Length && char.IsAsciiDigit(_text[i])) i++;
        }
        if (i < _text.Length && _text[i] is 'e' or 'E')
        {
            int j = i + 1;
            if (j < _text.Length && _text[j] is '+' or '-') j++;
            if (j < _text.Length && char.IsAsciiDigit(_text[j]))
            {
                while (j < _text.Length && char.IsAsciiDigit(_text[j])) j++;
                i = j;
            }
        }
        return i - at;
    }

    private HoconToken ReadQuoted()
    {
        int line = _line;
        if (Peek(1) == '"' && Peek(2) == '"') return ReadTripleQuoted(line);
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
                throw Error(line, "this quoted string is not closed on its line; close it with \", or use \"\"\"triple quotes\"\"\" for text spanning lines");
            char c = _text[_pos++];
            if (c == '"') return new(HoconTokenKind.Quoted, sb.ToString(), line);
            if (c < ' ' && c != '\t')
                throw Error(line, $"control character U+{(int)c:X4} inside a quoted string; write it as an escape such as \\n or \\t");
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _text.Length) continue;
            char e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        throw Error(line, "\\u in a quoted string must be followed by four hex digits, e.g. \\u00e9");
                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error(line, $"unknown escape \\{e} in a quoted string; JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX (use \"\"\"triple quotes\"\"\" for raw text)");
            }
        }
    }

    /// <summary>"""raw text""" with no escapes; quotes right before the closing three belong to the string (HOCON.md).</summary>
    private HoconToken ReadTripleQuoted(int line)
    {
        _pos += 3;
        int start = _pos;
        int close = _text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (close < 0) throw Error(line, "this \"\"\" string is never closed; end it with \"\"\"");
        while (close + 3 < _text.Length && _text[close + 3] == '"') close++;
        var value = _text[start..close];
        _line += value.Count(ch => ch == '\n');
        _pos = close + 3;
        return new(HoconTokenKind.Quoted, value, line);
    }

    private HoconToken ReadSubstitution()
    {
        int line = _line;
        _pos += 2;
        bool optional = _pos < _text.Length && _text[_pos] == '?';
        if (optional) _pos++;
        int start = _pos;
        bool inQuotes = false;
        while (_pos < _text.Length && (inQuotes || _text[_pos] != '}'))
        {
            char c = _text[_pos];
            if (c == '\n') break;
            if (c == '\\' && inQuotes) _pos++;
            else if (c == '"') inQuotes = !inQuotes;
            _pos++;
        }
        if (_pos >= _text.Length || _text[_pos] != '}')
            throw Error(line, "a substitution ${...} is not closed with '}' on its line");
        var raw = _text[start.._pos];
        _pos++;
        List<HoconToken> inner;
        try
        {
            inner = Tokenize(raw, _file).Where(t => t.Kind != HoconTokenKind.End).ToList();
        }
        catch (ConfigException e)
        {
            // The inner text was lexed on its own, so its line numbers start at 1: report the substitution's line.
            throw Error(line, $"bad path in ${{{raw}}}: {e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}");
        }
        var path = HoconPath.FromTokens(inner, out var problem)
            ?? throw Error(line, $"bad path in ${{{raw}}}: {problem}");
        return new(HoconTokenKind.Substitution, raw.Trim(), line) { Path = path, Optional = optional };
    }

    private ConfigException Error(int line, string message)
    {
        var origin = new HoconOrigin(_file, line);
        return new ConfigException($"{origin}: {message}", origin);
    }
}
