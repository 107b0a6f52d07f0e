// Entry point of the MIL text parser (ane-reference.md section 4): text -> MilProgram, with SSA and reference checks.
namespace Orion.Engine.Mil;

/// <summary>
/// Parses MIL text as Core ML writes it and as our emitter writes it. Every error is a <see cref="MilException"/>
/// with the 1-based line and column of the offending token; op names and shapes are left to the emulator.
/// </summary>
public static class MilParser
{
    public static MilProgram Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new MilSyntaxReader(MilLexer.Tokenize(text)).ReadProgram();
    }
}
