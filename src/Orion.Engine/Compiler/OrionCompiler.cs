// The compiler pipeline: graph IR -> five named passes -> MIL text + weight blobs + program.json.
// One short function lists the passes in order; each pass is its own file (style.md: tinygrad codegen).
using Orion.Engine.Ane;
using Orion.Engine.Graph;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Compiler;

public static class OrionCompiler
{
    public static IReadOnlyList<string> PassNames { get; } = ["legalize", "fuse", "layout", "weights", "emit"];

    /// <summary>
    /// Compiles <paramref name="graph"/> (which it rewrites in place). Throws <see cref="AneRestrictionException"/>
    /// citing rule ids when the program cannot be made ANE-legal, <see cref="GraphException"/> for a malformed graph.
    /// </summary>
    public static CompiledProgram Compile(Graph.Graph graph, CompilerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ctx = new PassContext(graph, options ?? new CompilerOptions());
        if (ctx.Options.DumpAfter is { } d && !PassNames.Contains(d))
            throw new ArgumentException($"--dump-after '{d}' is not a pass; expected one of {string.Join(", ", PassNames)}", nameof(options));
        Validate(ctx, "input");
        // Rewrite into ANE-legal ops first: every later pass may assume conv (not matmul-with-weights), no gelu, no bias.
        Run(ctx, "legalize", LegalizePass.Run);
        // Fuse on legal ops, before the interface is frozen, so folded nodes never become surfaces.
        Run(ctx, "fuse", FusePass.Run);
        // The interface is final now: name outputs, fix binding order and surface sizes.
        Run(ctx, "layout", LayoutPass.Run);
        // Weight values are final only after fusion folded scales into them: serialise them now.
        Run(ctx, "weights", WeightsPass.Run);
        // Last, print MIL; the catalog then checks the very text a device will receive.
        Run(ctx, "emit", EmitPass.Run);
        var diagnostics = ctx.Diagnostics.Concat(RestrictionCatalog.CheckProgram(ctx.Mil!.Main, ctx.WeightFiles, ctx.Profile)).ToList();
        var errors = diagnostics.Where(x => RestrictionCatalog.IsError(x.RuleId)).ToList();
        if (errors.Count > 0) throw new AneRestrictionException(errors);
        var warnings = diagnostics.Except(errors).ToList();
        var manifest = BuildManifest(ctx, warnings);
        return new CompiledProgram(ctx.Mil, ctx.MilText!, ctx.WeightFiles, manifest, warnings);
    }

    private static void Run(PassContext ctx, string name, Action<PassContext> pass)
    {
        pass(ctx);
        Validate(ctx, name);
        if (ctx.Options.DumpAfter == name && ctx.Options.DumpWriter is { } w)
        {
            w.Write($"// after pass '{name}'\n");
            w.Write(name == "emit" ? ctx.MilText : GraphPrinter.Print(ctx.Graph));
            if (name == "weights")
                foreach (var l in ctx.WeightMap) w.Write($"// weight {l.Name}: {l.Path} offset={l.Offset} data={l.DataOffset} {l.DType}[{string.Join(", ", l.Shape)}] {l.Bytes} bytes\n");
        }
        // Diagnostics stop the pipeline at the pass that found them: later passes assume legality.
        var errors = ctx.Diagnostics.Where(x => RestrictionCatalog.IsError(x.RuleId)).ToList();
        if (errors.Count > 0) throw new AneRestrictionException(errors);
    }

    private static void Validate(PassContext ctx, string after)
    {
        if (ctx.Options.ValidateBetweenPasses) GraphValidator.Validate(ctx.Graph, after);
    }

    private static ProgramManifest BuildManifest(PassContext ctx, IReadOnlyList<AneDiagnostic> warnings)
    {
        var plan = ctx.Surfaces!;
        var inputs = ctx.Inputs.Select((b, i) => new ManifestTensor(b.Name, Tensors.DTypes.MilName(b.Type.ElementType), b.Type.EffectiveShape.ToArray(), SurfacePlan.PackedBytes(b.Type), plan.InputBytes[i], i)).ToList();
        var outputs = ctx.Outputs.Select((b, i) => new ManifestTensor(b.Name, Tensors.DTypes.MilName(b.Type.ElementType), b.Type.EffectiveShape.ToArray(), SurfacePlan.PackedBytes(b.Type), plan.OutputBytes[i], i)).ToList();
        return new ProgramManifest(ctx.Graph.Name, ctx.Profile.Name, DeviceFingerprint.OrionCompilerVersion, inputs, outputs, ctx.WeightMap, warnings.Select(w => w.ToString()).ToList());
    }
}
