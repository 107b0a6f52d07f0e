// A program compiled by the emulator: its parsed MIL, execution plan and current weight files.
using Orion.Engine.Mil;

namespace Orion.Engine.Ane.Emulated;

internal sealed class EmulatedProgram(AneProgramSource source, string folder, MilFunction main, ExecutionPlan plan,
    IReadOnlyList<MilBinding> inputs, IReadOnlyList<MilBinding> outputs, SurfacePlan surfaces)
    : AneProgram(source, folder, inputs, outputs, surfaces)
{
    public MilFunction Main { get; } = main;
    public ExecutionPlan Plan { get; } = plan;

    /// <summary>The weight files as last written to the folder (original or patched), for validating the next patch.</summary>
    public Dictionary<string, byte[]> CurrentWeights { get; } = new(source.Weights, StringComparer.Ordinal);

    public bool Released { get; set; }
}
