// The compiler's output: MIL text, weight blob files and program.json, ready for a device or a folder.
using Orion.Engine.Ane;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Compiler;

public sealed class CompiledProgram(MilProgram mil, string milText, IReadOnlyDictionary<string, byte[]> weights, ProgramManifest manifest, IReadOnlyList<AneDiagnostic> warnings)
{
    public MilProgram Mil { get; } = mil;
    public string MilText { get; } = milText;

    /// <summary>Weight blob files keyed by MIL path (<c>@model_path/weights/…</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Weights { get; } = weights;
    public ProgramManifest Manifest { get; } = manifest;
    public IReadOnlyList<AneDiagnostic> Warnings { get; } = warnings;

    public AneProgramSource ToSource() => new(MilText, Weights);

    /// <summary>Writes <c>model.mil</c>, <c>weights/*.bin</c> and <c>program.json</c> into <paramref name="directory"/>, each atomically.</summary>
    public void WriteTo(string directory)
    {
        ToSource().WriteTo(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "program.json"), Manifest.ToJson());
    }
}
