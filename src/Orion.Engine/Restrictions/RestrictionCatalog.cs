// The ANE restriction catalog as data: R01-R20 and the further limits (L01-L07) of ane-reference.md section 7.
// Static rules carry a check over MIL; the rest name the component that enforces them. Checks live in CatalogChecks.
namespace Orion.Engine.Restrictions;

public static class RestrictionCatalog
{
    public static IReadOnlyList<Restriction> Rules { get; } =
    [
        new("R01", "concat fails to compile; use multi-output programs", "Orion; disputed (other public kernels use concat on M1-M5)",
            RuleStage.Compile, Severity.Error, Disputed: true, "catalog check (profile switch ConcatAllowed); legalize rewrites channel concats to selection convs", CatalogChecks.Concat),
        new("R02", "all output surfaces of a program must have the same allocation size, else eval fails 0x1d", "Orion",
            RuleStage.Evaluate, Severity.Error, false, "device Evaluate (SurfacePlan.Check); layout pads outputs to the largest"),
        new("R03", "outputs are bound in alphabetical order of MIL variable name, not return order; a wrong order is silent", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check: return order must be alphabetical, so return order and binding order agree; layout sorts outputs", CatalogChecks.OutputOrder),
        new("R04", "each IOSurface must be at least ~49,152 bytes; below it compile succeeds and eval fails", "Orion",
            RuleStage.Evaluate, Severity.Error, false, "device Evaluate (SurfacePlan.Check, profile MinSurfaceBytes); layout sizes surfaces"),
        new("R05", "~119 compiles per process (119-132 on M4), then silent failure or crash", "both",
            RuleStage.Process, Severity.Error, false, "CompileBudget: compiles past the budget fail loudly"),
        new("R06", "SDPA's attention mask is ignored; write attention by hand", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check: scaled_dot_product_attention is rejected", CatalogChecks.Sdpa),
        new("R07", "weights are baked at compile time", "both",
            RuleStage.Load, Severity.Error, false, "emulator bakes weights at load; changing files takes effect only through PatchWeights (unload, rewrite, load)"),
        new("R08", "BLOBFILE offset is the metadata offset (64 for the first blob); a wrong offset gives silent garbage", "both",
            RuleStage.Compile, Severity.Error, false, "catalog check: offsets and blob metadata are verified against the weight files", CatalogChecks.BlobOffsets, ReadsWeightFiles: true),
        new("R09", "MIL text must be passed as bytes (NSData)", "Orion",
            RuleStage.Api, Severity.Error, false, "AneProgramSource carries MIL as strict UTF-8 bytes; invalid UTF-8 is rejected"),
        new("R10", "gelu fails to compile; use the tanh approximation", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check; legalize rewrites gelu to the tanh form", CatalogChecks.Gelu),
        new("R11", "the weights dictionary must be empty, not nil, for weight-free programs", "both",
            RuleStage.Api, Severity.Error, false, "AneProgramSource requires a (possibly empty) weights dictionary"),
        new("R12", "matmul transpose flags must be named constants", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check; emit writes named bool constants", CatalogChecks.MatmulFlags),
        new("R13", "conv has no bias parameter; add the bias separately", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check; legalize splits the bias into an add", CatalogChecks.ConvBias),
        new("R14", "every returned variable must be a live node", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check: a returned parameter or constant is rejected; layout inserts identities", CatalogChecks.LiveOutputs),
        new("R15", "a process restart to reset the compile budget costs ~50 ms", "Orion",
            RuleStage.Process, Severity.Error, false, "CompileBudgetExceededException names the restart as a remedy; delta patching avoids it"),
        new("R16", "conv with a very large input channel count (32,000) is rejected; 32,000 output channels and softmax over 32,000 work", "both",
            RuleStage.Compile, Severity.Error, false, "catalog check (profile MaxConvInputChannels, 16,384 until doctor measures the threshold)", CatalogChecks.ConvInputChannels),
        new("R17", "1x1 conv is ~3x faster than matmul; deep graphs reach ~94% utilization vs ~30% for one op", "Orion",
            RuleStage.Compile, Severity.Warning, false, "catalog warning for matmul with a constant operand; legalize rewrites it to conv", CatalogChecks.MatmulWithConstant),
        new("R18", "all input surfaces must have the same allocation size (disputed: input sizes ascend, output sizes descend)", "Orion / public issue",
            RuleStage.Evaluate, Severity.Error, Disputed: true, "device Evaluate (profile InputSizes); layout sizes inputs"),
        new("R19", "inputs are bound in alphabetical order of parameter name", "Orion",
            RuleStage.Compile, Severity.Error, false, "catalog check: parameters must be declared alphabetically, so declaration order is binding order", CatalogChecks.InputOrder),
        new("R20", "an oversized surface is read as packed C x S values from byte 0; strided data gives wrong results", "Orion",
            RuleStage.Evaluate, Severity.Error, false, "device Evaluate reads and writes packed data from byte 0; an undersized surface is rejected"),
        new("L01", "at most 16 BLOBFILE tensors per program (a scalar constant in add/mul/pow may take a slot)", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check (profile MaxBlobTensors); weights inlines small constants", CatalogChecks.BlobCount),
        new("L02", "rsqrt fails; use pow(x, -0.5)", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check", CatalogChecks.Rsqrt),
        new("L03", "matmul inner dimension must be a multiple of 32", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check (profile MatmulInnerMultiple)", CatalogChecks.MatmulInner),
        new("L04", "depthwise conv with runtime weights fails", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check", CatalogChecks.DepthwiseRuntimeWeights),
        new("L05", "M5 needs 64+ channels", "public reports",
            RuleStage.Compile, Severity.Error, false, "catalog check on inputs and outputs (profile MinChannels)", CatalogChecks.MinChannels),
        new("L06", "128-byte alignment claimed on M5 (unverified)", "public reports",
            RuleStage.Compile, Severity.Error, Disputed: true, "catalog check of blob data offsets (profile BlobAlignment); weights aligns", CatalogChecks.BlobAlignment, ReadsWeightFiles: true),
        new("L07", "the multi-blob weight file failed on M1", "ane-reference.md section 5",
            RuleStage.Compile, Severity.Error, false, "catalog check (profile MultiBlobFileAllowed); weights writes one file per tensor by default", CatalogChecks.MultiBlob, ReadsWeightFiles: true),
    ];

    private static readonly Dictionary<string, Restriction> ById = Rules.ToDictionary(r => r.Id);

    public static Restriction Get(string id) => ById.TryGetValue(id, out var r) ? r : throw new KeyNotFoundException($"no restriction '{id}' in the catalog");

    public static bool IsError(string id) => !ById.TryGetValue(id, out var r) || r.Severity == Severity.Error;

    /// <summary>Runs every static (compile-stage) check over a MIL function and, when given, its weight files.</summary>
    public static IReadOnlyList<AneDiagnostic> CheckProgram(Mil.MilFunction function, IReadOnlyDictionary<string, byte[]>? weightFiles, ChipProfile profile,
        bool weightRulesOnly = false)
    {
        var ctx = new CatalogContext(function, weightFiles, profile);
        return Rules.Where(r => r.Check is not null && (!weightRulesOnly || r.ReadsWeightFiles)).SelectMany(r => r.Check!(ctx)).ToList();
    }

    /// <summary>Throws <see cref="AneRestrictionException"/> for every error-severity diagnostic; returns the warnings.</summary>
    /// <param name="weightRulesOnly">Only the rules that read weight files (a delta patch: the MIL was checked at compile).</param>
    public static IReadOnlyList<AneDiagnostic> Enforce(Mil.MilFunction function, IReadOnlyDictionary<string, byte[]>? weightFiles, ChipProfile profile,
        bool weightRulesOnly = false)
    {
        var all = CheckProgram(function, weightFiles, profile, weightRulesOnly);
        var errors = all.Where(d => IsError(d.RuleId)).ToList();
        if (errors.Count > 0) throw new AneRestrictionException(errors);
        return all;
    }
}
