// One lexical token of a HOCON file, with the line it starts on (for origins and error messages).
namespace Orion.Engine.Config;

internal enum HoconTokenKind
{
    Whitespace,
    Newline,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Quoted,
    Unquoted,
    Number,
    Substitution,
    End,
}

internal sealed class HoconToken(HoconTokenKind kind, string text, int line)
{
    public HoconTokenKind Kind { get; } = kind;

    /// <summary>The characters as written, except for quoted strings (escapes decoded) and substitutions (the path text).</summary>
    public string Text { get; } = text;

    public int Line { get; } = line;

    /// <summary>For a substitution: the parsed path and whether it was written ${?...}.</summary>
    public string[]? Path { get; init; }

    public bool Optional { get; init; }

    public override string ToString() => Kind switch
    {
        HoconTokenKind.Newline => "a new line",
        HoconTokenKind.End => "the end of the file",
        HoconTokenKind.Quoted => "\"" + Text + "\"",
        HoconTokenKind.Substitution => "${" + (Optional ? "?" : "") + Text + "}",
        _ => "'" + Text + "'",
    };
}
