// Recursive-descent parser for one HOCON file (HOCON.md "Syntax"): root braces optional, '=' / ':' / nothing before
// '{', commas or new lines between fields and elements, dotted keys, += and value concatenation. Duplicate keys merge
// as they are read; includes live in HoconFileParser.Include.cs.
namespace Orion.Engine.Config;

internal sealed partial class HoconFileParser
{
    private readonly List<HoconToken> _tokens;
    private readonly string _file;
    private readonly string? _baseDirectory;
    private readonly Func<string, string?> _environment;
    private readonly string[] _includePrefix;
    private readonly IReadOnlyList<string> _includeStack;
    private int _next;

    private HoconFileParser(string text, string file, string? baseDirectory, Func<string, string?> environment,
        string[] includePrefix, IReadOnlyList<string> includeStack)
    {
        _file = file;
        _tokens = HoconLexer.Tokenize(text, file);
        _baseDirectory = baseDirectory;
        _environment = environment;
        _includePrefix = includePrefix;
        _includeStack = includeStack;
    }

    /// <param name="includePrefix">Where this file is included (empty for a top-level file): its substitutions are
    /// looked up there first, and its fields' self-references are judged by their full paths.</param>
    /// <param name="includeStack">Full paths of the files including this one, to report include cycles.</param>
    public static HoconObject ParseText(string text, string file, string? baseDirectory, Func<string, string?> environment,
        string[] includePrefix, IReadOnlyList<string> includeStack) =>
        new HoconFileParser(text, file, baseDirectory, environment, includePrefix, includeStack).ParseRoot();

    private HoconToken Peek => _tokens[_next];

    private HoconToken Take() => _tokens[_next++];

    private HoconOrigin At(int line) => new(_file, line);

    private ConfigException Error(int line, string message) => new($"{At(line)}: {message}", At(line));

    private void SkipWhitespace()
    {
        while (Peek.Kind == HoconTokenKind.Whitespace) _next++;
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline) _next++;
    }

    private HoconObject ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        if (Peek.Kind == HoconTokenKind.OpenBracket)
            throw Error(Peek.Line, "the file holds a list; a config file must hold an object (fields such as key = value)");
        if (Peek.Kind != HoconTokenKind.OpenBrace) return ParseObjectBody([], HoconTokenKind.End, 1);
        var open = Take();
        var root = ParseObjectBody([], HoconTokenKind.CloseBrace, open.Line);
        SkipWhitespaceAndNewlines();
        if (Peek.Kind != HoconTokenKind.End)
            throw Error(Peek.Line, $"unexpected {Peek} after the '}}' that closes the root object (opened on line {open.Line})");
        return root;
    }

    /// <summary>Fields up to <paramref name="closer"/> (consumed unless it is the end of the file).</summary>
    /// <param name="path">The object's path inside this file, or null inside a list (where fields have no path).</param>
    private HoconObject ParseObjectBody(string[]? path, HoconTokenKind closer, int openLine)
    {
        var result = HoconObject.Empty(At(openLine));
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == closer)
            {
                if (closer != HoconTokenKind.End) _next++;
                return result;
            }
            if (token.Kind == HoconTokenKind.End)
                throw Error(openLine, "this '{' is never closed; add the matching '}'");
            if (token.Kind == HoconTokenKind.CloseBrace)
                throw Error(token.Line, "this '}' closes nothing; remove it or add the matching '{'");
            if (token.Kind == HoconTokenKind.Comma)
                throw Error(token.Line, "unexpected ','; commas go between fields, one at a time");

            var field = token.Kind == HoconTokenKind.Unquoted && token.Text == "include" ? ParseInclude(path) : ParseField(path);
            result = HoconMerge.MergeObjects(field, result);

            SkipWhitespace();
            if (Peek.Kind == HoconTokenKind.Comma)
            {
                _next++;
                SkipWhitespaceAndNewlines();
                if (Peek.Kind == HoconTokenKind.Comma) throw Error(Peek.Line, "two commas in a row; remove one");
            }
            else if (Peek.Kind == HoconTokenKind.End && closer != HoconTokenKind.End)
            {
                throw Error(openLine, "this '{' is never closed; add the matching '}'");
            }
            else if (Peek.Kind != HoconTokenKind.Newline && Peek.Kind != closer)
            {
                throw Error(Peek.Line, $"unexpected {Peek}; put a ',' or a new line between fields");
            }
        }
    }

    /// <summary>One key [separator] value, returned as an object holding it (a.b = 1 becomes { a { b = 1 } }).</summary>
    private HoconObject ParseField(string[]? path)
    {
        int keyLine = Peek.Line;
        var keyTokens = new List<HoconToken>();
        while (Peek.Kind is HoconTokenKind.Unquoted or HoconTokenKind.Number or HoconTokenKind.Quoted or HoconTokenKind.Whitespace)
            keyTokens.Add(Take());
        var keyText = string.Concat(keyTokens.Select(t => t.Kind == HoconTokenKind.Quoted ? "\"" + t.Text + "\"" : t.Text)).Trim();
        var separator = Peek;
        if (separator.Kind == HoconTokenKind.Substitution)
            throw Error(separator.Line, $"a substitution {separator} cannot be part of a key; substitutions go in values");
        if (separator.Kind is not (HoconTokenKind.Equals or HoconTokenKind.Colon or HoconTokenKind.PlusEquals or HoconTokenKind.OpenBrace))
            throw Error(separator.Line, keyTokens.Count == 0
                ? $"expected a key, found {separator}"
                : $"key '{keyText}' has no value: expected '=', ':' or '{{' after it, found {separator}");
        var keys = HoconPath.FromTokens(keyTokens, out var problem)
            ?? throw Error(keyLine, $"bad key '{keyText}': {problem}");

        string[]? fieldPath = path is null ? null : [.. path, .. keys];
        string[]? fullPath = fieldPath is null ? null : [.. _includePrefix, .. fieldPath];
        if (separator.Kind != HoconTokenKind.OpenBrace)
        {
            _next++;
            SkipWhitespaceAndNewlines();
        }
        var value = ParseValue(fieldPath, fullPath, $"key '{keyText}'")
            ?? throw Error(Peek.Line, $"key '{keyText}' has no value after '{separator.Text}', found {Peek}");

        if (separator.Kind == HoconTokenKind.PlusEquals)
            value = Append(fieldPath ?? throw Error(separator.Line, $"'+=' on key '{keyText}' inside a list element; += extends a setting, so write it outside lists"),
                fullPath!, value, separator.Line);

        HoconValue wrapped = value;
        for (int i = keys.Length - 1; i >= 0; i--)
        {
            var fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal) { [keys[i]] = wrapped };
            wrapped = new HoconObject(fields, At(keyLine), owned: true);
        }
        return (HoconObject)wrapped;
    }

    /// <summary>a += v means a = ${?a} [v] (HOCON.md "The += field separator").</summary>
    private HoconConcatenation Append(string[] fieldPath, string[] fullPath, HoconValue value, int line)
    {
        var self = new HoconSubstitution(fieldPath, _includePrefix, optional: true,
            selfDepth: fullPath.Length, previous: null, _environment, At(line));
        var element = new HoconArray([value], value.Origin);
        return new HoconConcatenation([new ConcatPart(self, false), new ConcatPart(element, false)], At(line));
    }

    /// <summary>
    /// A value: everything up to a new line, ',' or closing bracket, concatenated (HOCON.md "Value concatenation").
    /// Null when there is nothing there. <paramref name="fullPath"/> is the field's path from the config root, used to
    /// spot self-referential substitutions; <paramref name="objectPath"/> is the path nested objects get in this file.
    /// </summary>
    private HoconValue? ParseValue(string[]? objectPath, string[]? fullPath, string owner)
    {
        int line = Peek.Line;
        var parts = new List<ConcatPart>();
        bool pending = false;
        while (true)
        {
            var t = Peek;
            HoconValue part;
            switch (t.Kind)
            {
                case HoconTokenKind.Whitespace:
                    parts.Add(new ConcatPart(new HoconScalar(HoconScalarKind.String, t.Text, At(t.Line)), true));
                    _next++;
                    continue;
                case HoconTokenKind.Quoted:
                    part = new HoconScalar(HoconScalarKind.String, t.Text, At(t.Line));
                    break;
                case HoconTokenKind.Number:
                    part = new HoconScalar(HoconScalarKind.Number, t.Text, At(t.Line));
                    break;
                case HoconTokenKind.Unquoted:
                    part = new HoconScalar(t.Text switch
                    {
                        "true" or "false" => HoconScalarKind.Boolean,
                        "null" => HoconScalarKind.Null,
                        _ => HoconScalarKind.String,
                    }, t.Text, At(t.Line));
                    break;
                case HoconTokenKind.Substitution:
                    var full = (string[])[.. _includePrefix, .. t.Path!];
                    bool self = fullPath is not null && full.Length >= fullPath.Length && full.AsSpan(0, fullPath.Length).SequenceEqual(fullPath);
                    part = new HoconSubstitution(t.Path!, _includePrefix, t.Optional, self ? fullPath!.Length : -1, null, _environment, At(t.Line));
                    pending = true;
                    break;
                case HoconTokenKind.OpenBrace:
                    _next++;
                    parts.Add(new ConcatPart(ParseObjectBody(objectPath, HoconTokenKind.CloseBrace, t.Line), false));
                    continue;
                case HoconTokenKind.OpenBracket:
                    parts.Add(new ConcatPart(ParseArray(fullPath, t.Line), false));
                    continue;
                case HoconTokenKind.Colon or HoconTokenKind.Equals or HoconTokenKind.PlusEquals:
                    throw Error(t.Line, $"unexpected {t} in the value of {owner}; quote values that contain ':' or '=', e.g. \"http://host:8080\"");
                default:
                    return pending ? FinishPending(parts, line) : HoconConcatenation.Fold(parts, At(line));
            }
            parts.Add(new ConcatPart(part, false));
            _next++;
        }
    }

    private static HoconValue FinishPending(List<ConcatPart> parts, int line)
    {
        while (parts[0].IsSeparator) parts.RemoveAt(0);
        while (parts[^1].IsSeparator) parts.RemoveAt(parts.Count - 1);
        return parts.Count == 1 ? parts[0].Value : new HoconConcatenation(parts, parts[0].Value.Origin with { Line = line });
    }

    private HoconArray ParseArray(string[]? fullPath, int openLine)
    {
        _next++;
        var items = new List<HoconValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var t = Peek;
            if (t.Kind == HoconTokenKind.CloseBracket) { _next++; return new HoconArray(items, At(openLine)); }
            if (t.Kind == HoconTokenKind.End) throw Error(openLine, "this '[' is never closed; add the matching ']'");
            if (t.Kind == HoconTokenKind.Comma) throw Error(t.Line, "unexpected ','; commas go between list elements, one at a time");
            // Objects inside lists have no path, so their fields can neither self-reference nor be looked up.
            var item = ParseValue(null, fullPath, "a list element") ?? throw Error(t.Line, $"unexpected {t} in a list");
            items.Add(item);
            SkipWhitespace();
            if (Peek.Kind == HoconTokenKind.Comma)
            {
                _next++;
                SkipWhitespaceAndNewlines();
                if (Peek.Kind == HoconTokenKind.Comma) throw Error(Peek.Line, "two commas in a row; remove one");
            }
            else if (Peek.Kind == HoconTokenKind.End)
            {
                throw Error(openLine, "this '[' is never closed; add the matching ']'");
            }
            else if (Peek.Kind is not (HoconTokenKind.Newline or HoconTokenKind.CloseBracket))
            {
                throw Error(Peek.Line, $"unexpected {Peek} in a list; separate elements with ',' or a new line");
            }
        }
    }
}
