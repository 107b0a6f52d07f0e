// State handed from pass to pass: the graph, the options, diagnostics, and what later passes produce.
using Orion.Engine.Ane;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Compiler;

public sealed class PassContext(Graph.Graph graph, CompilerOptions options)
{
    public Graph.Graph Graph { get; } = graph;
    public CompilerOptions Options { get; } = options;
    public ChipProfile Profile => Options.Profile;
    public List<AneDiagnostic> Diagnostics { get; } = [];

    /// <summary>Set by layout: inputs and outputs in binding order, and their surface sizes.</summary>
    public IReadOnlyList<MilBinding> Inputs { get; set; } = [];
    public IReadOnlyList<MilBinding> Outputs { get; set; } = [];
    public SurfacePlan? Surfaces { get; set; }

    /// <summary>Set by weights: blob files by MIL path, and where each weight tensor lives.</summary>
    public Dictionary<string, byte[]> WeightFiles { get; } = new(StringComparer.Ordinal);
    public List<WeightLocation> WeightMap { get; } = [];

    /// <summary>Set by emit.</summary>
    public MilProgram? Mil { get; set; }
    public string? MilText { get; set; }

    public void Error(string rule, string message, string? op = null) => Diagnostics.Add(new AneDiagnostic(rule, message, op));
}

/// <summary>Where one weight tensor lives: what a delta patch rewrites.</summary>
public sealed record WeightLocation(string Name, string Path, ulong Offset, ulong DataOffset, string DType, int[] Shape, ulong Bytes);
