// A restriction violation: the rule id it breaks, the op and shapes involved, and a hint.
namespace Orion.Engine.Restrictions;

public sealed record AneDiagnostic(string RuleId, string Message, string? Op = null, int Line = 0)
{
    public override string ToString()
    {
        var at = Line > 0 ? $" (MIL line {Line})" : "";
        return $"{RuleId}: {Message}{at}";
    }
}

/// <summary>Thrown when a program breaks one or more ANE restrictions; the message cites every rule id.</summary>
public sealed class AneRestrictionException : Exception
{
    public AneRestrictionException(IReadOnlyList<AneDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
    {
        Diagnostics = diagnostics;
    }

    public AneRestrictionException(AneDiagnostic diagnostic) : this([diagnostic]) { }

    public IReadOnlyList<AneDiagnostic> Diagnostics { get; }
}
