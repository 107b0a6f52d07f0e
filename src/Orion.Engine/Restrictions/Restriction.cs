// One entry of the restriction catalog: id, rule text, evidence, where it is enforced, and its check.
namespace Orion.Engine.Restrictions;

/// <summary>Where a rule is enforced.</summary>
public enum RuleStage
{
    /// <summary>Static check of MIL text and weight files, before anything reaches a device (compiler and device compile).</summary>
    Compile,
    /// <summary>Enforced when a program is loaded or patched (weights are baked at load).</summary>
    Load,
    /// <summary>Enforced on every evaluation: surface sizes and binding.</summary>
    Evaluate,
    /// <summary>Enforced per process: the compile budget.</summary>
    Process,
    /// <summary>Enforced by the device API's shape: callers cannot express the violation.</summary>
    Api,
}

public enum Severity
{
    Error,
    /// <summary>Legal but slow on the ANE; reported, never rejected.</summary>
    Warning,
}

public sealed record Restriction(
    string Id,
    string Text,
    string Evidence,
    RuleStage Stage,
    Severity Severity,
    bool Disputed,
    string EnforcedBy,
    Func<CatalogContext, IEnumerable<AneDiagnostic>>? Check = null,
    bool ReadsWeightFiles = false);
