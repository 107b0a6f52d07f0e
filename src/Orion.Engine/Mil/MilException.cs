// Errors in MIL text or MIL semantics, carrying the position a user needs to find them.
namespace Orion.Engine.Mil;

/// <summary>A malformed or unsupported MIL program. <see cref="Line"/>/<see cref="Column"/> are 1-based, 0 when unknown.</summary>
public sealed class MilException : Exception
{
    public MilException(string what, int line, int column, string? hint = null)
        : base(Format(what, line, column, hint))
    {
        What = what;
        Line = line;
        Column = column;
        Hint = hint;
    }

    public string What { get; }
    public int Line { get; }
    public int Column { get; }
    public string? Hint { get; }

    private static string Format(string what, int line, int column, string? hint)
    {
        var at = line > 0 ? (column > 0 ? $"line {line}, column {column}: " : $"line {line}: ") : "";
        return hint is null ? $"MIL {at}{what}" : $"MIL {at}{what} ({hint})";
    }
}
