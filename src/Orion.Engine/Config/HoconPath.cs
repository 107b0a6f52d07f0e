// Path expressions (HOCON.md "Path expressions"): split on '.' outside quotes, so a."b.c" is two keys, and render
// them back with quotes where needed for messages.
using System.Text;

namespace Orion.Engine.Config;

internal static class HoconPath
{
    /// <summary>Parses a path written in code (a getter's key, a section path); throws ArgumentException if malformed.</summary>
    public static string[] Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tokens = HoconLexer.Tokenize(path, "(path)");
        var parsed = FromTokens(tokens.Where(t => t.Kind != HoconTokenKind.End).ToList(), out var problem);
        return parsed ?? throw new ArgumentException($"'{path}' is not a valid path: {problem}", nameof(path));
    }

    /// <summary>
    /// Builds a path from the tokens of a key or substitution: unquoted text and numbers split at '.', quoted strings
    /// and inner whitespace are kept whole. Returns null with a reason when the path is empty or has an empty element.
    /// </summary>
    public static string[]? FromTokens(IReadOnlyList<HoconToken> tokens, out string? problem)
    {
        problem = null;
        int first = 0, last = tokens.Count - 1;
        while (first <= last && tokens[first].Kind == HoconTokenKind.Whitespace) first++;
        while (last >= first && tokens[last].Kind == HoconTokenKind.Whitespace) last--;
        if (first > last) { problem = "it is empty"; return null; }

        var segments = new List<string>();
        var current = new StringBuilder();
        bool hasContent = false;
        for (int i = first; i <= last; i++)
        {
            var t = tokens[i];
            switch (t.Kind)
            {
                case HoconTokenKind.Quoted:
                case HoconTokenKind.Whitespace:
                    current.Append(t.Text);
                    hasContent = true;
                    break;
                case HoconTokenKind.Unquoted:
                case HoconTokenKind.Number:
                    foreach (var c in t.Text)
                    {
                        if (c != '.') { current.Append(c); hasContent = true; continue; }
                        if (!hasContent) { problem = "it has an empty element (write a.\"\".b for an empty key)"; return null; }
                        segments.Add(current.ToString());
                        current.Clear();
                        hasContent = false;
                    }
                    break;
                default:
                    problem = $"'{t.Text}' cannot appear in a path";
                    return null;
            }
        }
        if (!hasContent) { problem = "it ends with '.'"; return null; }
        segments.Add(current.ToString());
        return segments.ToArray();
    }

    public static string Render(IEnumerable<string> segments) => string.Join('.', segments.Select(RenderKey));

    public static string Join(string prefix, string key) => prefix.Length == 0 ? RenderKey(key) : prefix + "." + RenderKey(key);

    private static string RenderKey(string key)
    {
        bool plain = key.Length > 0 && key.All(c => char.IsLetterOrDigit(c) || c is '-' or '_');
        return plain ? key : "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
