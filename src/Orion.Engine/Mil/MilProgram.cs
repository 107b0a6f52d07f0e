// The MIL program tree shared by the parser, the printer, the compiler's emit pass and the emulator.
namespace Orion.Engine.Mil;

/// <summary>A named operand: <c>x = ...</c> in an argument list or an attribute list.</summary>
public sealed record MilArgument(string Name, MilValue Value);

/// <summary>A typed variable: a function parameter or a statement output.</summary>
public sealed record MilBinding(string Name, MilType Type);

/// <summary>
/// <c>&lt;type&gt; &lt;name&gt; = &lt;op&gt;(&lt;args&gt;)[&lt;attributes&gt;];</c>. Attributes hold <c>name = string("...")</c>
/// and, for constexpr ops and <c>const</c>, the operands written inside the brackets.
/// </summary>
public sealed record MilStatement(
    IReadOnlyList<MilBinding> Outputs,
    string Op,
    IReadOnlyList<MilArgument> Arguments,
    IReadOnlyList<MilArgument> Attributes)
{
    /// <summary>1-based source line, or 0 for statements built in memory. Not part of equality.</summary>
    public int Line { get; init; }

    public MilBinding Output => Outputs[0];

    public MilValue? Argument(string name)
    {
        foreach (var a in Arguments) if (a.Name == name) return a.Value;
        return null;
    }

    public MilValue? Attribute(string name)
    {
        foreach (var a in Attributes) if (a.Name == name) return a.Value;
        return null;
    }

    /// <summary>An operand looked up among the arguments first, then among the attributes.</summary>
    public MilValue? Operand(string name) => Argument(name) ?? Attribute(name);
}

/// <summary><c>func main&lt;ios18&gt;(params) { statements } -&gt; (outputs);</c></summary>
public sealed record MilFunction(
    string Name,
    string? Opset,
    IReadOnlyList<MilBinding> Parameters,
    IReadOnlyList<MilStatement> Statements,
    IReadOnlyList<string> Outputs);

/// <summary><c>program(1.3) [buildInfo = ...] { functions }</c></summary>
public sealed record MilProgram(
    string Version,
    IReadOnlyList<KeyValuePair<string, string>>? BuildInfo,
    IReadOnlyList<MilFunction> Functions)
{
    /// <summary>The buildInfo our emitter writes (ane-reference.md section 4).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DefaultBuildInfo { get; } =
    [
        new("coremlc-component-MIL", "3510.2.1"),
        new("coremlc-version", "3505.4.1"),
        new("coremltools-component-milinternal", ""),
        new("coremltools-version", "9.0"),
    ];

    public MilFunction Main => Functions.FirstOrDefault(f => f.Name == "main")
        ?? throw new MilException("program has no function 'main'", 0, 0, "the ANE runs the function named main; rename the entry function");
}
